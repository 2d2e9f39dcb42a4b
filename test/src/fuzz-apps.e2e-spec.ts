import { generateDemoData } from '@plinth/demo-data';
import { createTestApp, onDatabase, type TestApp } from '@plinth/testing';
import { collectIds, restRequests, runFuzz, type OpenApiDoc } from './fuzz/fuzzer';
import { FIRST_PARTY_APPS } from './first-party-apps';

const APPS = FIRST_PARTY_APPS;

/**
 * The first-party apps' REST operations (and extras' saved-query runs) under the same bounded
 * fuzz as core's (fuzz.e2e-spec): no 5xx, every 4xx explained in JSON.
 */
describe(onDatabase('fuzzing the first-party apps’ API'), () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ plugins: APPS });
    await generateDemoData(t.objects, { scale: 'small', seed: 3 });
    // One object per kind the fuzzer writes to, so detail operations reach real rows.
    const seeds: [string, Record<string, unknown>][] = [
      ['/api/extras/graphql-queries/', { name: 'Devices', query: '{ devices { name } }' }],
      [
        '/api/plugins/data-validation/required-rules/',
        { name: 'r', content_type: 'tenancy.tenant', field: 'description' },
      ],
      ['/api/plugins/golden-config/compliance-feature/', { name: 'ntp', slug: 'ntp' }],
      [
        '/api/plugins/circuit-maintenance/maintenance/',
        { name: 'M-1', start_time: '2030-03-10T05:00:00Z', end_time: '2030-03-10T09:00:00Z' },
      ],
    ];
    for (const [path, body] of seeds) expect((await t.api.post(path, body)).status).toBe(201);
  }, 300_000);
  afterAll(async () => {
    await t?.close();
  });

  it('REST: every app operation x a sample of bad values: no 5xx, every 4xx explained', async () => {
    const full = (await t.api.get('/api/swagger.json')).body as OpenApiDoc;
    const paths = Object.fromEntries(
      Object.entries(full.paths).filter(
        ([p]) => p.startsWith('/api/plugins/') || p.startsWith('/api/extras/graphql-queries/'),
      ),
    );
    const doc: OpenApiDoc = { ...full, paths };
    // Apps with a REST API of their own (capacity metrics and healthcheck serve /metrics and a page).
    const prefixes = new Set(Object.keys(paths).map((p) => p.split('/').slice(0, 4).join('/')));
    expect([...prefixes].sort()).toEqual([
      '/api/extras/graphql-queries',
      '/api/plugins/circuit-maintenance',
      '/api/plugins/data-validation',
      '/api/plugins/golden-config',
    ]);
    const ids = await collectIds(t.baseUrl, t.api.token!, doc, new Set());
    const requests = restRequests(
      doc,
      { ids, protectedIds: new Set() },
      { valuesPerField: 3, fieldsPerOperation: 2, bodiesPerOperation: 2, seed: 1 },
    );
    const report = await runFuzz(t.baseUrl, t.api.token!, requests, { concurrency: 2 });
    console.log(
      `fuzz (apps): ${report.requests} requests in ${report.seconds.toFixed(0)} s, ${report.serverErrors} 5xx, statuses ${JSON.stringify(report.byStatus)}`,
    );
    expect(report.findings.slice(0, 20)).toEqual([]);
    expect(report.serverErrors).toBe(0);
  }, 300_000);
});
