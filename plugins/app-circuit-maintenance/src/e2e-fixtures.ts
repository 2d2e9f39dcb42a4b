import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestApp } from '@plinth/plugin-sdk/testing';

/** Shared data of the app's e2e suites (not part of the plugin's runtime). */

const FIXTURES = join(__dirname, '..', 'test', 'fixtures');

/** A notification fixture's text (`test/fixtures/<name>`). */
export const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');

/**
 * Providers Acme Transit, AWS and Cogent; circuits named in the fixtures, terminating at FRA1
 * (ACME-1001, dxcon-fgq9cbd1) and AMS1 (the others). Returns circuit ids by cid.
 */
export async function createCircuits(t: TestApp): Promise<Record<string, string>> {
  const post = async (path: string, body: object) => {
    const r = await t.api.post(path, body);
    if (r.status !== 201) throw new Error(`${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body as { id: string };
  };
  for (const name of ['Acme Transit', 'AWS', 'Cogent']) await post('/api/circuits/providers/', { name });
  await post('/api/circuits/circuit-types/', { name: 'Transit' });
  const type = await post('/api/dcim/location-types/', {
    name: 'Site',
    content_types: ['dcim.device', 'circuits.circuittermination'],
  });
  const fra = await post('/api/dcim/locations/', {
    name: 'FRA1',
    location_type: type.id,
    status: 'Active',
  });
  const ams = await post('/api/dcim/locations/', {
    name: 'AMS1',
    location_type: type.id,
    status: 'Active',
  });
  const plan: [string, string, string][] = [
    ['ACME-1001', 'Acme Transit', fra.id],
    ['ACME-1002', 'Acme Transit', ams.id],
    ['dxcon-fgq9cbd1', 'AWS', fra.id],
    ['dxcon-ffx41o7s', 'AWS', ams.id],
    ['1-300123456', 'Cogent', ams.id],
  ];
  const circuits: Record<string, string> = {};
  for (const [cid, provider, location] of plan) {
    const c = await post('/api/circuits/circuits/', {
      cid,
      provider,
      circuit_type: 'Transit',
      status: 'Active',
    });
    circuits[cid] = c.id;
    await post('/api/circuits/circuit-terminations/', { circuit: c.id, term_side: 'A', location });
  }
  return circuits;
}

/** SOON-1 and SOON-2: tomorrow, on the same circuit, overlapping by an hour. */
export async function createSoon(t: TestApp, circuit: string): Promise<void> {
  const day = Date.now() + 86_400_000;
  const at = (h: number) => new Date(day + h * 3_600_000).toISOString();
  for (const [name, from, to] of [
    ['SOON-1', 0, 3],
    ['SOON-2', 2, 5],
  ] as const) {
    const m = await t.api.post('/api/plugins/circuit-maintenance/maintenance/', {
      name,
      provider: 'Acme Transit',
      start_time: at(from),
      end_time: at(to),
      status: 'CONFIRMED',
    });
    await t.api.post('/api/plugins/circuit-maintenance/circuitimpact/', {
      maintenance: m.body.id,
      circuit,
      impact: 'OUTAGE',
    });
  }
}
