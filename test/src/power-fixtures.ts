import type { TestApp } from '@plinth/testing';
import { DCIM, create, type Obj, type Site } from './dcim-fixtures';

export const POWER = {
  panels: '/api/dcim/power-panels/',
  feeds: '/api/dcim/power-feeds/',
  reservations: '/api/dcim/rack-reservations/',
};

/** Location types of `s` also take power panels (the shared fixture's types do not). */
export async function allowPowerPanels(t: TestApp, s: Site): Promise<void> {
  for (const type of [s.types.site, s.types.room]) {
    const current = (await t.api.get(`${DCIM.locationTypes}${type.id}/`)).body.content_types as string[];
    await t.api.patch(`${DCIM.locationTypes}${type.id}/`, {
      content_types: [...current, 'dcim.powerpanel'],
    });
  }
}

/** A cable between two terminations. */
export function cable(a: [string, Obj], b: [string, Obj], extra: Obj = {}): Obj {
  return {
    termination_a_type: a[0],
    termination_a_id: a[1].id,
    termination_b_type: b[0],
    termination_b_id: b[1].id,
    ...extra,
  };
}

/**
 * A PDU device type (input `in`, outlets `o1`..`o6` on legs A, A, B, B, C, C) and a server type
 * with one power supply `PSU` (allocated 100 W, maximum 200 W).
 */
export async function powerTypes(t: TestApp, s: Site): Promise<{ pdu: Obj; server: Obj }> {
  const pdu = await create(t.api, DCIM.deviceTypes, { manufacturer: s.manufacturer.id, model: 'PDU-3P' });
  const input = await create(t.api, DCIM.powerPortTemplates, {
    device_type: pdu.id,
    name: 'in',
    type: 'iec-60309-3p-n-e-6h',
  });
  await create(
    t.api,
    DCIM.powerOutletTemplates,
    ['A', 'A', 'B', 'B', 'C', 'C'].map((leg, i) => ({
      device_type: pdu.id,
      name: `o${i + 1}`,
      type: 'iec-60320-c13',
      power_port_template: input.id,
      feed_leg: leg,
    })),
  );
  const server = await create(t.api, DCIM.deviceTypes, {
    manufacturer: s.manufacturer.id,
    model: 'Server-1U',
  });
  await create(t.api, DCIM.powerPortTemplates, {
    device_type: server.id,
    name: 'PSU',
    type: 'iec-60320-c14',
    allocated_draw: 100,
    maximum_draw: 200,
  });
  return { pdu, server };
}
