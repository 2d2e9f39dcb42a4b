import { choices } from '@plinth/plugin-sdk';
import { CABLED_KINDS, CIRCUIT_TERMINATION, COMPONENT_KINDS, POWER_FEED } from '../components/kinds';

/** Which objects a cable can end on and which ends fit together (Nautobot's COMPATIBLE_TERMINATION_TYPES). */

export const COMPATIBLE_TERMINATIONS: Readonly<Record<string, readonly string[]>> = {
  ...Object.fromEntries(CABLED_KINDS.map((k) => [k.label, k.cable_peers!])),
  // Circuit terminations belong to the circuits plugin: they fit the kinds that list them, and each other.
  [CIRCUIT_TERMINATION]: [
    ...CABLED_KINDS.filter((k) => k.cable_peers!.includes(CIRCUIT_TERMINATION)).map((k) => k.label),
    CIRCUIT_TERMINATION,
  ],
  // A power feed is cabled only to a device's power port.
  [POWER_FEED]: CABLED_KINDS.filter((k) => k.cable_peers!.includes(POWER_FEED)).map((k) => k.label),
};

/** Models a cable can end on. */
export const CABLE_TERMINATION_LABELS: readonly string[] = Object.keys(COMPATIBLE_TERMINATIONS);

/** Models a cable may end on, as choices (circuit terminations belong to the circuits plugin). */
export const CABLE_TERMINATION_TYPES = choices([
  ...CABLED_KINDS.map((k): [string, string] => [
    k.label,
    k.verbose_name.charAt(0).toUpperCase() + k.verbose_name.slice(1),
  ]),
  [CIRCUIT_TERMINATION, 'Circuit termination'],
  [POWER_FEED, 'Power feed'],
]);

/** Where a traced path ends: components that are not pass-through ports (Nautobot's PathEndpoints). */
export const PATH_ENDPOINT_LABELS: readonly string[] = [
  ...COMPONENT_KINDS.filter((k) => k.path_endpoint).map((k) => k.label),
  CIRCUIT_TERMINATION,
  POWER_FEED,
];
