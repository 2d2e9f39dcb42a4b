import type { ModelRule } from '@plinth/plugin-sdk';

export const MIN_PORT = 1;
export const MAX_PORT = 65535;

/** A service listens on at least one port, each 1-65535 (Nautobot's port validators). */
const portsInRange: ModelRule = (ctx) => {
  const ports = (ctx.record.ports as number[] | null) ?? [];
  if (ports.length === 0) {
    ctx.error('ports', 'At least one port is required.');
    return;
  }
  const bad = ports.filter((p) => p < MIN_PORT || p > MAX_PORT);
  if (bad.length) {
    ctx.error('ports', `Ports must be between ${MIN_PORT} and ${MAX_PORT} (got ${bad.join(', ')}).`);
  }
};

export const serviceRules: readonly ModelRule[] = [portsInRange];
