import { generateDemoData } from '@plinth/demo-data';
import { createTestApp, onDatabase, type TestApp } from '@plinth/testing';
import {
  ROOT_FIELDS_QUERY,
  collectIds,
  graphqlRequests,
  restRequests,
  runFuzz,
  type FuzzReport,
  type OpenApiDoc,
} from './fuzz/fuzzer';

/**
 * The bounded fuzz run of `npm test`: every REST operation of the OpenAPI document and every
 * GraphQL root field, each with a sample of the bad-value corpus (bench/fuzz.js sends all of it).
 * No 5xx, and every 4xx explains itself in JSON.
 */
describe(onDatabase('fuzzing the published API'), () => {
  let t: TestApp;
  let doc: OpenApiDoc;
  let ids: Record<string, string>;
  let protectedIds: Set<string>;

  beforeAll(async () => {
    t = await createTestApp();
    await generateDemoData(t.objects, { scale: 'small', seed: 3 });
    doc = (await t.api.get('/api/swagger.json')).body as OpenApiDoc;
    const admin = (await t.api.get('/api/users/users/?username=admin')).body.results[0].id as string;
    const tokens = (await t.api.get('/api/users/tokens/?user=admin&limit=0')).body.results as {
      id: string;
    }[];
    protectedIds = new Set([admin, ...tokens.map((x) => x.id)]);
    // A second user and token to write to (the fuzzer's own must keep working).
    await t.createUser('fuzz-target', [{ actions: ['view'], object_types: ['extras.tag'] }]);
    ids = await collectIds(t.baseUrl, t.api.token!, doc, protectedIds);
  }, 300_000);
  afterAll(async () => {
    await t?.close();
  });

  const expectClean = (report: FuzzReport) => {
    console.log(
      `fuzz: ${report.requests} requests in ${report.seconds.toFixed(0)} s, ${report.serverErrors} 5xx, statuses ${JSON.stringify(report.byStatus)}`,
    );
    expect(report.findings.slice(0, 20)).toEqual([]);
    expect(report.serverErrors).toBe(0);
  };

  it('REST: every operation x a sample of bad values: no 5xx, every 4xx explained', async () => {
    const requests = restRequests(
      doc,
      { ids, protectedIds },
      {
        valuesPerField: 3,
        fieldsPerOperation: 2,
        bodiesPerOperation: 2,
        seed: 1,
      },
    );
    expect(new Set(requests.map((r) => `${r.method} ${r.label.split(' ')[1]}`)).size).toBeGreaterThan(300);
    expectClean(await runFuzz(t.baseUrl, t.api.token!, requests, { concurrency: 2 }));
  }, 300_000);

  it('GraphQL: every root field x arguments x bad literals and variables: no 5xx, no internal errors', async () => {
    const fields = (await t.api.post('/api/graphql/', { query: ROOT_FIELDS_QUERY })).body.data.__schema
      .queryType.fields;
    const requests = graphqlRequests(fields, { valuesPerField: 2, fieldsPerOperation: 2, seed: 1 });
    expect(requests.length).toBeGreaterThan(200);
    expectClean(await runFuzz(t.baseUrl, t.api.token!, requests, { concurrency: 2 }));
  }, 300_000);
});
