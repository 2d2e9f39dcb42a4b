import { choices } from '@plinth/plugin-sdk';

/** Nautobot's PowerFeed choices (`nautobot.dcim.choices`). */

export const POWER_FEED_TYPES = choices([
  ['primary', 'Primary'],
  ['redundant', 'Redundant'],
]);

export const POWER_FEED_SUPPLIES = choices([
  ['ac', 'AC'],
  ['dc', 'DC'],
]);

export const POWER_FEED_PHASES = choices([
  ['single-phase', 'Single phase'],
  ['three-phase', 'Three-phase'],
]);

/** Nautobot's POWERFEED_DEFAULT_VOLTAGE / _AMPERAGE / _MAX_UTILIZATION settings. */
export const POWER_FEED_DEFAULTS = { voltage: 120, amperage: 15, max_utilization: 80 } as const;
