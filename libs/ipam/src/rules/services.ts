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

/** A service runs on a device or a virtual machine, exactly one (Nautobot's Service.clean). */
const oneParent: ModelRule = (ctx) => {
  const { device, virtual_machine: vm } = ctx.record;
  if (device && vm) {
    ctx.error('virtual_machine', 'A service cannot be associated with both a device and a virtual machine.');
  } else if (!device && !vm) {
    ctx.error('device', 'A service must be associated with either a device or a virtual machine.');
  }
};

export const serviceRules: readonly ModelRule[] = [oneParent, portsInRange];
