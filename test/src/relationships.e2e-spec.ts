import { createTestApp, onDatabase, type TestApp } from '@plinth/testing';
import { UiSession, text } from './ui-helpers';

const RELS = '/api/extras/relationships/';
const ASSOCS = '/api/extras/relationship-associations/';
const TENANTS = '/api/tenancy/tenants/';
const PROVIDERS = '/api/circuits/providers/';
const GROUPS = '/api/tenancy/tenant-groups/';

interface Obj {
  id: string;
  name: string;
  relationships?: Record<string, Record<string, unknown>>;
}

/**
 * Relationships (Nautobot's shapes): definitions at /api/extras/relationships/, associations at
 * /api/extras/relationship-associations/, `relationships` on objects (`?include=relationships`,
 * writable), filters, required sides, cardinality (also under concurrency), cleanup on delete,
 * the change log, `cr_` filters, GraphQL `rel_` fields without a restart, CSV, permissions,
 * the UI panel and form inputs.
 */
describe(onDatabase('relationships'), () => {
  let t: TestApp;
  const ids: Record<string, string> = {};
  const peers = (o: Obj, key: string, side: string): string[] =>
    ((o.relationships?.[key]?.[side] as { objects: { id: string }[] } | undefined)?.objects ?? []).map(
      (x) => x.id,
    );
  const tenant = async (id: string): Promise<Obj> =>
    (await t.api.get(`${TENANTS}${id}/?include=relationships`)).body as Obj;

  beforeAll(async () => {
    t = await createTestApp();
    const tenants = await t.objects.create(
      'tenancy.tenant',
      ['acme', 'globex', 'initech', 'umbrella', 'hooli'].map((name) => ({ name })),
    );
    for (const x of tenants) ids[String(x.name)] = String(x.id);
    const providers = await t.objects.create(
      'circuits.provider',
      ['p1', 'p2', 'p3'].map((name) => ({ name })),
    );
    for (const x of providers) ids[String(x.name)] = String(x.id);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('validates definitions: key, object types, symmetric types, filters', async () => {
    const base = {
      label: 'X',
      type: 'many-to-many',
      source_type: 'circuits.provider',
      destination_type: 'tenancy.tenant',
    };
    const badKey = await t.api.post(RELS, { ...base, key: 'Bad Key' });
    expect(badKey.status).toBe(400);
    expect(badKey.body.key).toBeDefined();
    const badType = await t.api.post(RELS, { ...base, key: 'x1', source_type: 'nope.nothing' });
    expect(badType.status).toBe(400);
    expect(badType.body.source_type).toBeDefined();
    const asym = await t.api.post(RELS, { ...base, key: 'x2', type: 'symmetric-many-to-many' });
    expect(asym.status).toBe(400);
    expect(asym.body.destination_type).toBeDefined();
    const badFilter = await t.api.post(RELS, {
      ...base,
      key: 'x3',
      destination_filter: { nonsense_filter: 'a' },
    });
    expect(badFilter.status).toBe(400);
    expect(badFilter.body.destination_filter).toBeDefined();
    const notDict = await t.api.post(RELS, { ...base, key: 'x4', destination_filter: [1] });
    expect(notDict.status).toBe(400);
    expect((await t.api.get(RELS)).body.count).toBe(0);
  });

  it('one-to-many: writes and reads `relationships` in Nautobot shape, refuses a second source', async () => {
    const rel = await t.api.post(RELS, {
      label: 'Provider customers',
      key: 'customers',
      type: 'one-to-many',
      source_type: 'circuits.provider',
      source_label: 'Customers',
      destination_type: 'tenancy.tenant',
      destination_label: 'Provider',
    });
    expect(rel.status).toBe(201);
    expect(rel.body).toMatchObject({ key: 'customers', type: { value: 'one-to-many' }, required_on: null });
    ids.customers = rel.body.id as string;

    const set = await t.api.patch(`${TENANTS}${ids.acme}/`, {
      relationships: { customers: { source: { objects: [ids.p1] } } },
    });
    expect(set.status).toBe(200);
    const acme = await tenant(ids.acme);
    expect(acme.relationships!.customers).toMatchObject({
      id: ids.customers,
      url: expect.stringContaining(`/api/extras/relationships/${ids.customers}/`),
      label: 'Provider customers',
      type: 'one-to-many',
      source: {
        label: 'Provider',
        object_type: 'circuits.provider',
        objects: [{ id: ids.p1, object_type: 'circuits.provider', url: expect.stringContaining(ids.p1) }],
      },
    });
    // Not shown unless asked for.
    expect((await t.api.get(`${TENANTS}${ids.acme}/`)).body.relationships).toBeUndefined();

    // The provider sees its destinations; several are allowed on the "many" side.
    const p1 = await t.api.patch(`${PROVIDERS}${ids.p1}/?include=relationships`, {
      relationships: { customers: { destination: { objects: [ids.acme, { id: ids.globex }] } } },
    });
    expect(p1.status).toBe(200);
    const p1read = (await t.api.get(`${PROVIDERS}${ids.p1}/?include=relationships`)).body as Obj;
    expect(peers(p1read, 'customers', 'destination').sort()).toEqual([ids.acme, ids.globex].sort());
    expect(peers(p1read, 'customers', 'destination')).toHaveLength(2);

    // A tenant has at most one provider: in the payload and against stored associations.
    const two = await t.api.patch(`${TENANTS}${ids.initech}/`, {
      relationships: { customers: { source: { objects: [ids.p1, ids.p2] } } },
    });
    expect(two.status).toBe(400);
    expect(two.body['relationships.customers']).toBeDefined();
    const taken = await t.api.patch(`${PROVIDERS}${ids.p2}/`, {
      relationships: { customers: { destination: { objects: [ids.acme] } } },
    });
    expect(taken.status).toBe(400);
    expect(taken.body['relationships.customers'][0]).toMatch(/already has a source/);
    const direct = await t.api.post(ASSOCS, {
      relationship: ids.customers,
      source_type: 'circuits.provider',
      source_id: ids.p2,
      destination_type: 'tenancy.tenant',
      destination_id: ids.globex,
    });
    expect(direct.status).toBe(400);
    expect(direct.body.destination_id).toBeDefined();
    // Nothing half-written.
    expect(
      peers(
        (await t.api.get(`${PROVIDERS}${ids.p2}/?include=relationships`)).body as Obj,
        'customers',
        'destination',
      ),
    ).toEqual([]);

    // Bad shapes name the relationship.
    for (const bad of [
      { nope: {} },
      { customers: { destination: { objects: [ids.p1] } } },
      { customers: { source: { objects: ['not-a-uuid'] } } },
      { customers: 'x' },
    ]) {
      const res = await t.api.patch(`${TENANTS}${ids.initech}/`, { relationships: bad });
      expect(res.status).toBe(400);
      expect(Object.keys(res.body)[0]).toMatch(/^relationships\./);
    }
    const wrongType = await t.api.patch(`${TENANTS}${ids.initech}/`, {
      relationships: { customers: { source: { objects: [ids.hooli] } } },
    });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body['relationships.customers']).toBeDefined();
  });

  it('one-to-one and many-to-many cardinality, symmetric kinds and self-association', async () => {
    const o2o = await t.api.post(RELS, {
      label: 'Primary provider',
      key: 'primary_provider',
      type: 'one-to-one',
      source_type: 'tenancy.tenant',
      destination_type: 'circuits.provider',
    });
    expect(o2o.status).toBe(201);
    expect(
      (
        await t.api.patch(`${TENANTS}${ids.acme}/`, {
          relationships: { primary_provider: { destination: { objects: [ids.p3] } } },
        })
      ).status,
    ).toBe(200);
    const again = await t.api.patch(`${TENANTS}${ids.globex}/`, {
      relationships: { primary_provider: { destination: { objects: [ids.p3] } } },
    });
    expect(again.status).toBe(400);
    expect(again.body['relationships.primary_provider']).toBeDefined();

    const m2m = await t.api.post(RELS, {
      label: 'Resellers',
      key: 'resellers',
      type: 'many-to-many',
      source_type: 'tenancy.tenant',
      destination_type: 'circuits.provider',
    });
    expect(m2m.status).toBe(201);
    for (const name of ['acme', 'globex'])
      expect(
        (
          await t.api.patch(`${TENANTS}${ids[name]}/`, {
            relationships: { resellers: { destination: { objects: [ids.p1, ids.p2] } } },
          })
        ).status,
      ).toBe(200);
    // Replacing keeps what stays and removes what goes.
    await t.api.patch(`${TENANTS}${ids.globex}/`, {
      relationships: { resellers: { destination: { objects: [ids.p2] } } },
    });
    expect(peers(await tenant(ids.globex), 'resellers', 'destination')).toEqual([ids.p2]);

    const sym = await t.api.post(RELS, {
      label: 'Partners',
      key: 'partners',
      type: 'symmetric-many-to-many',
      source_type: 'tenancy.tenant',
      destination_type: 'tenancy.tenant',
    });
    expect(sym.status).toBe(201);
    await t.api.patch(`${TENANTS}${ids.acme}/`, {
      relationships: { partners: { peer: { objects: [ids.globex, ids.initech] } } },
    });
    expect(peers(await tenant(ids.globex), 'partners', 'peer')).toEqual([ids.acme]);
    expect(peers(await tenant(ids.acme), 'partners', 'peer').sort()).toEqual(
      [ids.globex, ids.initech].sort(),
    );
    // The reverse pair is the same association.
    const reverse = await t.api.patch(`${TENANTS}${ids.globex}/`, {
      relationships: { partners: { peer: { objects: [ids.acme, ids.hooli] } } },
    });
    expect(reverse.status).toBe(200);
    const self = await t.api.patch(`${TENANTS}${ids.acme}/`, {
      relationships: { partners: { peer: { objects: [ids.acme] } } },
    });
    expect(self.status).toBe(400);
    expect(self.body['relationships.partners']).toBeDefined();

    const symO2o = await t.api.post(RELS, {
      label: 'Twin',
      key: 'twin',
      type: 'symmetric-one-to-one',
      source_type: 'tenancy.tenant',
      destination_type: 'tenancy.tenant',
    });
    expect(symO2o.status).toBe(201);
    expect(
      (
        await t.api.patch(`${TENANTS}${ids.acme}/`, {
          relationships: { twin: { peer: { objects: [ids.globex] } } },
        })
      ).status,
    ).toBe(200);
    const third = await t.api.patch(`${TENANTS}${ids.initech}/`, {
      relationships: { twin: { peer: { objects: [ids.globex] } } },
    });
    expect(third.status).toBe(400);
    expect(third.body['relationships.twin']).toBeDefined();
    expect(peers(await tenant(ids.globex), 'twin', 'peer')).toEqual([ids.acme]);
  });

  it('enforces cardinality under concurrent requests', async () => {
    const rel = await t.api.post(RELS, {
      label: 'Exclusive',
      key: 'exclusive',
      type: 'one-to-one',
      source_type: 'circuits.provider',
      destination_type: 'tenancy.tenant',
    });
    expect(rel.status).toBe(201);
    const answers = await Promise.all(
      ['p1', 'p2', 'p3'].map((p) =>
        t.api.post(ASSOCS, {
          relationship: rel.body.id,
          source_type: 'circuits.provider',
          source_id: ids[p],
          destination_type: 'tenancy.tenant',
          destination_id: ids.umbrella,
        }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 400, 400]);
    const rows = await t.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM extras_relationshipassociation WHERE relationship_id = $1`,
      [rel.body.id],
    );
    expect(rows[0].n).toBe(1);
    // Objects' own writes race the same way.
    const racing = await Promise.all(
      ['acme', 'globex', 'initech'].map((name) =>
        t.api.patch(`${TENANTS}${ids[name]}/`, {
          relationships: { exclusive: { source: { objects: [ids.p3] } } },
        }),
      ),
    );
    expect(racing.map((a) => a.status).sort()).toEqual([200, 400, 400]);
  });

  it('only associates objects that match the side filters', async () => {
    const rel = await t.api.post(RELS, {
      label: 'Vendors',
      key: 'vendors',
      type: 'many-to-many',
      source_type: 'tenancy.tenant',
      source_filter: { name: ['acme', 'globex'] },
      destination_type: 'circuits.provider',
      destination_filter: { name: 'p1' },
    });
    expect(rel.status).toBe(201);
    expect(
      (
        await t.api.patch(`${TENANTS}${ids.acme}/`, {
          relationships: { vendors: { destination: { objects: [ids.p1] } } },
        })
      ).status,
    ).toBe(200);
    const wrongPeer = await t.api.patch(`${TENANTS}${ids.acme}/`, {
      relationships: { vendors: { destination: { objects: [ids.p2] } } },
    });
    expect(wrongPeer.status).toBe(400);
    expect(wrongPeer.body['relationships.vendors'][0]).toMatch(/filter/);
    const wrongSelf = await t.api.patch(`${TENANTS}${ids.hooli}/`, {
      relationships: { vendors: { destination: { objects: [ids.p1] } } },
    });
    expect(wrongSelf.status).toBe(400);
    expect(wrongSelf.body['relationships.vendors']).toBeDefined();
    expect(peers(await tenant(ids.acme), 'vendors', 'destination')).toEqual([ids.p1]);
  });

  it('enforces required_on when objects are created and updated', async () => {
    const rel = await t.api.post(RELS, {
      label: 'Group sponsor',
      key: 'sponsor',
      type: 'one-to-many',
      source_type: 'circuits.provider',
      destination_type: 'tenancy.tenantgroup',
      required_on: 'destination',
    });
    expect(rel.status).toBe(201);
    const missing = await t.api.post(GROUPS, { name: 'g1' });
    expect(missing.status).toBe(400);
    expect(missing.body['relationships.sponsor']).toBeDefined();
    const ok = await t.api.post(GROUPS, {
      name: 'g1',
      relationships: { sponsor: { source: { objects: [ids.p1] } } },
    });
    expect(ok.status).toBe(201);
    const cleared = await t.api.patch(`${GROUPS}${ok.body.id}/`, {
      relationships: { sponsor: { source: { objects: [] } } },
    });
    expect(cleared.status).toBe(400);
    expect(cleared.body['relationships.sponsor']).toBeDefined();
    // Other changes of the group keep its association.
    expect((await t.api.patch(`${GROUPS}${ok.body.id}/`, { description: 'x' })).status).toBe(200);
    // The provider's side is not required.
    expect((await t.api.post(PROVIDERS, { name: 'p-new' })).status).toBe(201);
    ids.g1 = ok.body.id as string;
  });

  it('filters lists with cr_<key>__source/destination/peer in REST and GraphQL', async () => {
    const names = async (path: string): Promise<string[]> => {
      const res = await t.api.get(path);
      expect(res.status).toBe(200);
      return (res.body.results as Obj[]).map((o) => o.name).sort();
    };
    expect(await names(`${TENANTS}?cr_customers__source=${ids.p1}`)).toEqual(['acme', 'globex']);
    expect(await names(`${TENANTS}?cr_customers__source=p1`)).toEqual(['acme', 'globex']);
    expect(await names(`${PROVIDERS}?cr_customers__destination=${ids.globex}`)).toEqual(['p1']);
    expect(await names(`${TENANTS}?cr_partners__peer=${ids.acme}`)).toEqual(['globex', 'initech']);
    expect(await names(`${TENANTS}?cr_partners__peer=${ids.hooli}`)).toEqual(['globex']);
    expect((await t.api.get(`${TENANTS}?cr_nothing__peer=${ids.acme}`)).status).toBe(400);
    const around = await t.api.get(`${ASSOCS}?peer_id=${ids.globex}&relationship=partners`);
    expect(around.status).toBe(200);
    expect(around.body.count).toBe(2);
    const gql = await t.api.post('/api/graphql/', {
      query: `{ tenants(cr_customers__source: ["${ids.p1}"]) { name } }`,
    });
    expect(gql.body.errors).toBeUndefined();
    expect(gql.body.data.tenants.map((x: Obj) => x.name).sort()).toEqual(['acme', 'globex']);
  });

  it('adds GraphQL rel_<key> fields without a restart', async () => {
    const before = await t.api.post('/api/graphql/', { query: '{ tenants { name rel_sister { name } } }' });
    expect(before.body.errors?.[0]?.message).toMatch(/rel_sister/);
    const rel = await t.api.post(RELS, {
      label: 'Sister',
      key: 'sister',
      type: 'one-to-many',
      source_type: 'tenancy.tenant',
      destination_type: 'circuits.provider',
    });
    expect(rel.status).toBe(201);
    await t.api.patch(`${TENANTS}${ids.hooli}/`, {
      relationships: { sister: { destination: { objects: [ids.p2, ids.p3] } } },
    });
    const after = await t.api.post('/api/graphql/', {
      query: `{ tenants(name: ["hooli"]) { name rel_sister { name } rel_customers { name } } providers(name: ["p2"]) { name rel_sister { name } } }`,
    });
    expect(after.body.errors).toBeUndefined();
    expect(after.body.data.tenants[0].name).toBe('hooli');
    expect(after.body.data.tenants[0].rel_sister.map((p: Obj) => p.name).sort()).toEqual(['p2', 'p3']);
    expect(after.body.data.tenants[0].rel_customers).toBeNull();
    // One-to-many: a provider has one source tenant.
    expect(after.body.data.providers[0].rel_sister).toEqual({ name: 'hooli' });
  });

  it('reads relationships for a page in a constant number of queries', async () => {
    await t.objects.create(
      'tenancy.tenant',
      Array.from({ length: 50 }, (_, i) => ({
        name: `bulk-${i}`,
        relationships: { resellers: { destination: { objects: [ids.p1, ids.p2] } } },
      })),
    );
    const a = await t.api.get(`${TENANTS}?limit=5&include=relationships`);
    const b = await t.api.get(`${TENANTS}?limit=50&include=relationships`);
    expect(b.body.results).toHaveLength(50);
    expect(
      (b.body.results as Obj[]).filter((o) => peers(o, 'resellers', 'destination').length === 2).length,
    ).toBeGreaterThanOrEqual(45);
    expect(b.queries).toBe(a.queries);
    // So do a restricted reader's (one more query per peer model to check what it may view).
    const { api } = await t.createUser('rel-counted', [
      { actions: ['view'], object_types: ['tenancy.tenant'] },
      { actions: ['view'], object_types: ['circuits.provider'], constraints: { name: 'p1' } },
    ]);
    const c = await api.get(`${TENANTS}?limit=5&include=relationships`);
    const d = await api.get(`${TENANTS}?limit=50&include=relationships`);
    expect(d.queries).toBe(c.queries);
    const bulk = (d.body.results as Obj[]).find((o) => o.name === 'bulk-0')!;
    expect(peers(bulk, 'resellers', 'destination')).toEqual([ids.p1]);
  });

  it('hides peers of models the reader may not view', async () => {
    const { api } = await t.createUser('rel-viewer', [
      { actions: ['view'], object_types: ['tenancy.tenant'] },
    ]);
    const acme = (await api.get(`${TENANTS}${ids.acme}/?include=relationships`)).body as Obj;
    expect(peers(acme, 'customers', 'source')).toEqual([]);
    expect(peers(acme, 'partners', 'peer').length).toBeGreaterThan(0);
    const gql = await api.post('/api/graphql/', {
      query: `{ tenants(name: ["hooli"]) { rel_sister { name } rel_partners { name } } }`,
    });
    expect(gql.body.data.tenants[0].rel_sister).toEqual([]);
    expect(gql.body.data.tenants[0].rel_partners).toEqual([{ name: 'globex' }]);
    expect((await api.get(RELS)).status).toBe(403);
    // Writers name only peers they may view (as with references): a 400, nothing written.
    const { api: writer } = await t.createUser('rel-writer', [
      { actions: ['view', 'change'], object_types: ['tenancy.tenant'] },
      { actions: ['view'], object_types: ['circuits.provider'], constraints: { name: 'p1' } },
    ]);
    const hidden = await writer.patch(`${TENANTS}${ids.umbrella}/`, {
      relationships: { resellers: { destination: { objects: [ids.p1, ids.p2] } } },
    });
    expect(hidden.status).toBe(400);
    expect(hidden.body['relationships.resellers'][0]).toContain(ids.p2);
    expect(peers(await tenant(ids.umbrella), 'resellers', 'destination')).toEqual([]);
    const seen = await writer.patch(`${TENANTS}${ids.umbrella}/`, {
      relationships: { resellers: { destination: { objects: [ids.p1] } } },
    });
    expect(seen.status).toBe(200);
    expect(peers(await tenant(ids.umbrella), 'resellers', 'destination')).toEqual([ids.p1]);
  });

  it('deletes associations with either end, change-logged', async () => {
    const before = await t.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM extras_relationshipassociation WHERE source_id = $1 OR destination_id = $1`,
      [ids.hooli],
    );
    expect(before[0].n).toBeGreaterThan(0);
    const changes = '/api/extras/object-changes/?changed_object_type=extras.relationshipassociation';
    const created = await t.api.get(`${changes}&action=create`);
    expect(created.body.count).toBeGreaterThan(0);
    const deletedBefore = (await t.api.get(`${changes}&action=delete`)).body.count as number;
    expect((await t.api.delete(`${TENANTS}${ids.hooli}/`)).status).toBe(204);
    const after = await t.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM extras_relationshipassociation WHERE source_id = $1 OR destination_id = $1`,
      [ids.hooli],
    );
    expect(after[0].n).toBe(0);
    const deleted = await t.api.get(`${changes}&action=delete`);
    expect(deleted.body.count - deletedBefore).toBe(before[0].n);
    // Deleting a relationship deletes its associations.
    expect((await t.api.delete(`${RELS}${ids.customers}/`)).status).toBe(204);
    expect((await t.api.get(`${ASSOCS}?relationship=${ids.customers}`)).status).toBe(400);
    const left = await t.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM extras_relationshipassociation WHERE relationship_id = $1`,
      [ids.customers],
    );
    expect(left[0].n).toBe(0);
  });

  it('exports and imports relationships and associations as CSV', async () => {
    const csv = await t
      .http()
      .get(`${RELS}?format=csv&key=partners`)
      .set('Authorization', `Token ${t.api.token}`);
    expect(csv.status).toBe(200);
    const [header, row] = csv.text.trim().split(/\r?\n/);
    expect(header.split(',')).toEqual(
      expect.arrayContaining(['key', 'type', 'source_type', 'destination_type', 'required_on']),
    );
    expect(row).toContain('partners');
    const assoc = await t.http().get(`${ASSOCS}?format=csv`).set('Authorization', `Token ${t.api.token}`);
    expect(assoc.status).toBe(200);
    expect(assoc.text.split(/\r?\n/)[0]).toContain('destination_id');
    const ui = await new UiSession(t.baseUrl).login();
    const imported = await ui.post('/extras/relationships/import/', {
      csv_data:
        'label,key,type,source_type,destination_type\nImported,imported,many-to-many,tenancy.tenant,circuits.provider\n',
    });
    expect(imported.status).toBe(303);
    expect((await t.api.get(`${RELS}?key=imported`)).body.count).toBe(1);
    const badCsv = await ui.post('/extras/relationships/import/', {
      csv_data:
        'label,key,type,source_type,destination_type\nBad,bad,many-to-many,nope.nothing,circuits.provider\n',
    });
    expect(badCsv.status).toBe(400);
  });

  it('shows a Relationships panel and form inputs in the UI', async () => {
    const ui = await new UiSession(t.baseUrl).login();
    const hidden = await t.api.post(RELS, {
      label: 'Secret link',
      key: 'secret',
      type: 'many-to-many',
      source_type: 'tenancy.tenant',
      destination_type: 'circuits.provider',
      source_hidden: true,
    });
    expect(hidden.status).toBe(201);
    const page = await ui.get(`/tenancy/tenants/${ids.acme}/`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Relationships');
    expect(page.text).toContain(`/tenancy/tenants/${ids.globex}/`);
    expect(text(page.text)).not.toContain('Secret link');
    const form = await ui.get(`/tenancy/tenants/${ids.initech}/edit/`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('name="cr_partners__peer"');
    expect(form.text).toContain('name="cr_exclusive__source"');
    expect(form.text).not.toContain('name="cr_secret__destination"');
    const saved = await ui.post(`/tenancy/tenants/${ids.initech}/edit/`, {
      name: 'initech',
      cr_resellers__destination: [ids.p1, ids.p3],
    });
    expect(saved.status).toBe(303);
    expect(peers(await tenant(ids.initech), 'resellers', 'destination').sort()).toEqual(
      [ids.p1, ids.p3].sort(),
    );
    // Earlier associations appear selected on the edit form.
    const again = await ui.get(`/tenancy/tenants/${ids.initech}/edit/`);
    expect(again.text).toMatch(new RegExp(`value="${ids.p3}"[^>]*selected`));
    // Errors are shown at the input.
    const bad = await ui.post(`/tenancy/tenants/${ids.initech}/edit/`, {
      name: 'initech',
      cr_vendors__destination: [ids.p1],
    });
    expect(bad.status).toBe(400);
    expect(text(bad.text)).toMatch(/filter/);
    const list = await ui.get('/tenancy/tenants/');
    expect(list.text).toContain('cr_partners__peer');
    const rels = await ui.get('/extras/relationships/');
    expect(text(rels.text)).toContain('Partners');
  });
});
