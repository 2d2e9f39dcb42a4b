/** The first-party apps under plugins/, as an operator enables them (PLINTH_PLUGINS). */
export const FIRST_PARTY_APPS = [
  '@plinth/app-data-validation',
  '@plinth/app-golden-config',
  '@plinth/app-circuit-maintenance',
  '@plinth/app-capacity-metrics',
  '@plinth/app-healthcheck',
];
