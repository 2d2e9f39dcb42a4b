import { choices } from '@plinth/plugin-sdk';

/** A maintenance's status: the BCOP `X-MAINTNOTE-STATUS` values (Nautobot's choices). */
export const MAINTENANCE_STATUSES = choices([
  ['TENTATIVE', 'Tentative'],
  ['CONFIRMED', 'Confirmed'],
  ['CANCELLED', 'Cancelled'],
  ['IN-PROCESS', 'In process'],
  ['COMPLETED', 'Completed'],
  ['RE-SCHEDULED', 'Rescheduled'],
  ['UNKNOWN', 'Unknown'],
]);
export type MaintenanceStatus =
  'TENTATIVE' | 'CONFIRMED' | 'CANCELLED' | 'IN-PROCESS' | 'COMPLETED' | 'RE-SCHEDULED' | 'UNKNOWN';

/** How a maintenance affects a circuit: the BCOP `X-MAINTNOTE-IMPACT` values. */
export const IMPACTS = choices([
  ['NO-IMPACT', 'No impact'],
  ['REDUCED-REDUNDANCY', 'Reduced redundancy'],
  ['DEGRADED', 'Degraded'],
  ['OUTAGE', 'Outage'],
]);
export type Impact = 'NO-IMPACT' | 'REDUCED-REDUNDANCY' | 'DEGRADED' | 'OUTAGE';

export const STATUS_VALUES = MAINTENANCE_STATUSES.map((c) => String(c.value)) as MaintenanceStatus[];
export const IMPACT_VALUES = IMPACTS.map((c) => String(c.value)) as Impact[];

/** Statuses of maintenances that will (or may) still happen: the ones panels and overlaps consider. */
export const ACTIVE_STATUSES: readonly MaintenanceStatus[] = [
  'TENTATIVE',
  'CONFIRMED',
  'IN-PROCESS',
  'RE-SCHEDULED',
  'UNKNOWN',
];
