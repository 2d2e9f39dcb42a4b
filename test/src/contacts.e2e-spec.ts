import { createTestApp, onDatabase, type TestApp } from '@plinth/testing';
import { UiSession } from './ui-helpers';

const CONTACTS = '/api/extras/contacts/';
const TEAMS = '/api/extras/teams/';
const ASSOCIATIONS = '/api/extras/contact-associations/';
const TENANTS = '/api/tenancy/tenants/';

/**
 * Contacts and teams (Nautobot 2.x shapes): /api/extras/contacts/, teams/, contact-associations/,
 * the `contacts` feature on core and plugin models (filters, GraphQL, deletion), CSV, change log.
 */
describe(onDatabase('contacts and teams'), () => {
  let t: TestApp;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp({
      plugins: ['@plinth/plugin-example'],
      pluginsConfig: { example: { instance_name: 'lab' } },
    });
    for (const x of await t.objects.create('tenancy.tenant', [{ name: 'acme' }, { name: 'globex' }]))
      ids[String(x.name)] = String(x.id);
    const roles = await t.objects.create('extras.role', [
      { name: 'Administrative', content_types: ['extras.contactassociation'] },
      { name: 'On Site', content_types: ['extras.contactassociation'] },
      { name: 'Leaf', content_types: ['dcim.device'] },
    ]);
    for (const r of roles) ids[`role:${String(r.name)}`] = String(r.id);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('creates contacts and teams with members, unique per name, phone and email', async () => {
    const contacts = await t.api.post(CONTACTS, [
      { name: 'Alice Ng', phone: '+1-555-0100', email: 'alice@example.com', address: '1 Main St' },
      { name: 'Bob Ruiz', email: 'bob@example.com' },
      { name: 'Alice Ng', phone: '+1-555-0199' },
    ]);
    expect(contacts.status).toBe(201);
    for (const c of contacts.body as { id: string; name: string; phone: string }[])
      ids[`${c.name}${c.phone ? ` ${c.phone}` : ''}`] = c.id;
    expect(contacts.body[0]).toMatchObject({
      object_type: 'extras.contact',
      display: 'Alice Ng (+1-555-0100) (alice@example.com)',
      address: '1 Main St',
    });
    const team = await t.api.post(TEAMS, {
      name: 'NOC',
      phone: '+1-555-0000',
      email: 'noc@example.com',
      contacts: [ids['Alice Ng +1-555-0100'], ids['Bob Ruiz']],
    });
    expect(team.status).toBe(201);
    ids.NOC = team.body.id;
    expect((team.body.contacts as { id: string }[]).map((c) => c.id).sort()).toEqual(
      [ids['Alice Ng +1-555-0100'], ids['Bob Ruiz']].sort(),
    );
    const dup = await t.api.post(CONTACTS, { name: 'Bob Ruiz', email: 'bob@example.com' });
    expect(dup.status).toBe(400);
    const badEmail = await t.api.post(CONTACTS, { name: 'Carol', email: 'not-an-address' });
    expect(badEmail.status).toBe(400);
    expect(badEmail.body.email).toBeDefined();
    const members = await t.api.get(`${CONTACTS}?teams=NOC`);
    expect(members.body.count).toBe(2);
    expect((await t.api.get(`${TEAMS}?contacts=${ids['Bob Ruiz']}`)).body.count).toBe(1);
  });

  it('associates a contact or a team (exactly one) with an object, in a role and status', async () => {
    const ok = await t.api.post(ASSOCIATIONS, [
      {
        contact: ids['Alice Ng +1-555-0100'],
        associated_object_type: 'tenancy.tenant',
        associated_object_id: ids.acme,
        role: 'Administrative',
        status: 'Active',
      },
      {
        team: ids.NOC,
        associated_object_type: 'tenancy.tenant',
        associated_object_id: ids.acme,
        role: 'On Site',
        status: 'Active',
      },
    ]);
    expect(ok.status).toBe(201);
    expect(ok.body[0]).toMatchObject({
      contact: { id: ids['Alice Ng +1-555-0100'] },
      team: null,
      associated_object_type: 'tenancy.tenant',
      associated_object_id: ids.acme,
      associated_object: { id: ids.acme, object_type: 'tenancy.tenant' },
      role: { id: ids['role:Administrative'] },
      status: { object_type: 'extras.status' },
    });
    const base = {
      associated_object_type: 'tenancy.tenant',
      associated_object_id: ids.globex,
      role: 'Administrative',
      status: 'Active',
    };
    const neither = await t.api.post(ASSOCIATIONS, base);
    expect(neither.status).toBe(400);
    expect(neither.body.contact).toBeDefined();
    const both = await t.api.post(ASSOCIATIONS, { ...base, contact: ids['Bob Ruiz'], team: ids.NOC });
    expect(both.status).toBe(400);
    expect(both.body.team).toBeDefined();
    const wrongRole = await t.api.post(ASSOCIATIONS, { ...base, contact: ids['Bob Ruiz'], role: 'Leaf' });
    expect(wrongRole.status).toBe(400);
    expect(wrongRole.body.role).toBeDefined();
    const noRole = await t.api.post(ASSOCIATIONS, { ...base, contact: ids['Bob Ruiz'], role: null });
    expect(noRole.status).toBe(400);
    expect(noRole.body.role).toBeDefined();
    const users = (await t.api.get('/api/users/users/')).body.results as { id: string }[];
    const notAssociable = await t.api.post(ASSOCIATIONS, {
      ...base,
      contact: ids['Bob Ruiz'],
      associated_object_type: 'users.user',
      associated_object_id: users[0].id,
    });
    expect(notAssociable.status).toBe(400);
    expect(notAssociable.body.associated_object_type).toBeDefined();
    const contactOfContact = await t.api.post(ASSOCIATIONS, {
      ...base,
      contact: ids['Bob Ruiz'],
      associated_object_type: 'extras.contact',
      associated_object_id: ids['Bob Ruiz'],
    });
    expect(contactOfContact.status).toBe(400);
    const missing = await t.api.post(ASSOCIATIONS, {
      ...base,
      contact: ids['Bob Ruiz'],
      associated_object_id: '00000000-0000-4000-8000-000000000000',
    });
    expect(missing.status).toBe(400);
    expect(missing.body.associated_object_id).toBeDefined();
    const twice = await t.api.post(ASSOCIATIONS, {
      ...base,
      contact: ids['Alice Ng +1-555-0100'],
      associated_object_id: ids.acme,
    });
    expect(twice.status).toBe(400);
    // Bulk writes are atomic: one bad row keeps none.
    const bulk = await t.api.post(ASSOCIATIONS, [
      { ...base, contact: ids['Bob Ruiz'] },
      { ...base, contact: ids['Bob Ruiz'], team: ids.NOC },
    ]);
    expect(bulk.status).toBe(400);
    expect((await t.api.get(`${ASSOCIATIONS}?associated_object_id=${ids.globex}`)).body.count).toBe(0);
  });

  it('filters objects by their contacts and teams, by id or name', async () => {
    const byContact = await t.api.get(`${TENANTS}?contacts=${ids['Alice Ng +1-555-0100']}`);
    expect(byContact.body.results.map((x: { name: string }) => x.name)).toEqual(['acme']);
    expect((await t.api.get(`${TENANTS}?teams=NOC`)).body.count).toBe(1);
    expect((await t.api.get(`${TENANTS}?teams__n=NOC`)).body.results[0].name).toBe('globex');
    expect((await t.api.get(`${TENANTS}?contacts=Bob%20Ruiz`)).body.count).toBe(0);
    expect((await t.api.get(`${ASSOCIATIONS}?role=On%20Site`)).body.count).toBe(1);
    expect((await t.api.get(`${ASSOCIATIONS}?team=${ids.NOC}`)).body.count).toBe(1);
  });

  it('shows associated_contacts in GraphQL and takes the contacts/teams filters', async () => {
    const res = await t.api.post('/api/graphql/', {
      query: `{ tenants(contacts: ["${ids['Alice Ng +1-555-0100']}"]) { name associated_contacts { contact { name } team { name } role { name } status { name } } }
               teams { name contacts { name } }
               contact_associations { associated_object_type } }`,
    });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.tenants).toEqual([
      {
        name: 'acme',
        associated_contacts: expect.arrayContaining([
          {
            contact: { name: 'Alice Ng' },
            team: null,
            role: { name: 'Administrative' },
            status: { name: 'Active' },
          },
          { contact: null, team: { name: 'NOC' }, role: { name: 'On Site' }, status: { name: 'Active' } },
        ]),
      },
    ]);
    expect(res.body.data.teams[0].contacts).toHaveLength(2);
    expect(res.body.data.contact_associations).toHaveLength(2);
  });

  it('gives plugin models the feature: associations, filters and deletion', async () => {
    const [widget] = await t.objects.create('example.widget', [{ name: 'w-contacts', status: 'Active' }]);
    const res = await t.api.post(ASSOCIATIONS, {
      team: ids.NOC,
      associated_object_type: 'example.widget',
      associated_object_id: widget.id,
      role: 'On Site',
      status: 'Active',
    });
    expect(res.status).toBe(201);
    const widgets = await t.api.get('/api/plugins/example/widgets/?teams=NOC');
    expect(widgets.body.results.map((w: { name: string }) => w.name)).toEqual(['w-contacts']);
    const gql = await t.api.post('/api/graphql/', {
      query: '{ widgets(teams: ["NOC"]) { name associated_contacts { team { name } } } }',
    });
    expect(gql.body.errors).toBeUndefined();
    expect(gql.body.data.widgets).toEqual([
      { name: 'w-contacts', associated_contacts: [{ team: { name: 'NOC' } }] },
    ]);
    expect((await t.api.delete(`/api/plugins/example/widgets/${widget.id}/`)).status).toBe(204);
    expect((await t.api.get(`${ASSOCIATIONS}?associated_object_id=${widget.id}`)).body.count).toBe(0);
  });

  it('deletes associations with their object and contact, change-logged', async () => {
    const [doomed] = await t.objects.create('tenancy.tenant', [{ name: 'doomed' }]);
    const [carol] = await t.objects.create('extras.contact', [{ name: 'Carol' }]);
    const made = await t.api.post(ASSOCIATIONS, [
      {
        contact: carol.id,
        associated_object_type: 'tenancy.tenant',
        associated_object_id: doomed.id,
        role: 'On Site',
        status: 'Active',
      },
      {
        contact: carol.id,
        associated_object_type: 'tenancy.tenant',
        associated_object_id: ids.globex,
        role: 'On Site',
        status: 'Active',
      },
    ]);
    expect(made.status).toBe(201);
    expect((await t.api.delete(`${TENANTS}${doomed.id}/`)).status).toBe(204);
    expect((await t.api.get(`${ASSOCIATIONS}?contact=${carol.id}`)).body.count).toBe(1);
    const deletedWithObject = await t.api.get(
      `/api/extras/object-changes/?changed_object_type=extras.contactassociation&changed_object_id=${made.body[0].id}`,
    );
    expect(deletedWithObject.body.results.map((c: { action: { value: string } }) => c.action.value)).toEqual([
      'delete',
      'create',
    ]);
    expect((await t.api.delete(`${CONTACTS}${carol.id}/`)).status).toBe(204);
    expect((await t.api.get(`${ASSOCIATIONS}?associated_object_id=${ids.globex}`)).body.count).toBe(0);
  });

  it('exports and imports CSV', async () => {
    const csv = await t.http().get(`${CONTACTS}?format=csv`).set('Authorization', `Token ${t.api.token}`);
    expect(csv.status).toBe(200);
    const [header] = csv.text.trim().split(/\r?\n/);
    expect(header.split(',')).toEqual(expect.arrayContaining(['name', 'phone', 'email', 'address']));
    expect(csv.text).toContain('alice@example.com');
    const ui = await new UiSession(t.baseUrl).login();
    const bad = await ui.post('/extras/contact-associations/import/', {
      csv_data: `contact,team,associated_object_type,associated_object_id,role,status\n${ids['Bob Ruiz']},${ids.NOC},tenancy.tenant,${ids.globex},On Site,Active\n`,
    });
    expect(bad.status).toBe(400);
    const ok = await ui.post('/extras/contact-associations/import/', {
      csv_data: `contact,associated_object_type,associated_object_id,role,status\n${ids['Bob Ruiz']},tenancy.tenant,${ids.globex},On Site,Active\n`,
    });
    expect(ok.status).toBe(303);
    expect((await t.api.get(`${TENANTS}?contacts=Bob%20Ruiz`)).body.results[0].name).toBe('globex');
    const teams = await ui.post('/extras/teams/import/', {
      csv_data: `name,email,contacts\nField Ops,ops@example.com,${ids['Bob Ruiz']}\n`,
    });
    expect(teams.status).toBe(303);
    expect((await t.api.get(`${TEAMS}?name=Field%20Ops`)).body.results[0].contacts).toHaveLength(1);
  });

  it('needs permissions on contact associations', async () => {
    const { api } = await t.createUser('contact-reader', [
      { actions: ['view'], object_types: ['extras.contact', 'tenancy.tenant'] },
    ]);
    expect((await api.get(CONTACTS)).status).toBe(200);
    expect((await api.get(ASSOCIATIONS)).status).toBe(403);
    expect(
      (
        await api.post(ASSOCIATIONS, {
          contact: ids['Bob Ruiz'],
          associated_object_type: 'tenancy.tenant',
          associated_object_id: ids.acme,
          role: 'On Site',
          status: 'Active',
        })
      ).status,
    ).toBe(403);
    // GraphQL shows only the associations the reader may view.
    const gql = await api.post('/api/graphql/', { query: '{ tenants { name associated_contacts { id } } }' });
    expect(
      gql.body.data.tenants.every(
        (x: { associated_contacts: unknown[] }) => x.associated_contacts.length === 0,
      ),
    ).toBe(true);
  });
});
