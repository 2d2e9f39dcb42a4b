import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  MODELS,
  OBJECTS,
  READS,
  SQL,
  type ModelLookup,
  type ObjectsService,
  type ReadService,
  type SqlRunner,
} from '@plinth/plugin-sdk';
import {
  formatReport,
  importNetbox,
  MAPPINGS,
  readDumpdata,
  readPgDump,
  readPostgres,
  SKIPPED,
  type ImportReport,
  type NetboxData,
  type SiteGroupMode,
} from '@plinth/netbox-import';
import { createTestApp, onDatabase, type TestApp } from '@plinth/testing';

/** NetBox's community demo data (MIT), a NetBox 3.5 `dumpdata` file, unmodified. */
const DEMO = path.resolve(__dirname, '..', 'fixtures', 'netbox-demo-data', 'netbox-demo-v3.5.json');

type Row = Record<string, unknown>;

describe(onDatabase('plinth import netbox: the NetBox 3.5 community demo data'), () => {
  let t: TestApp;
  let first: ImportReport;
  const data = readDumpdata(DEMO);
  const netbox = (model: string) => data.rows.get(model) ?? [];

  const run = (app = t, source: NetboxData = data, dryRun = false, siteGroups?: SiteGroupMode) =>
    importNetbox(
      app.app.get<ObjectsService>(OBJECTS),
      app.app.get<SqlRunner>(SQL),
      source,
      MAPPINGS,
      SKIPPED,
      {
        sourceName: 'demo',
        dryRun,
        siteGroups,
        models: app.app
          .get<ModelLookup>(MODELS)
          .all()
          .map((m) => m.label),
        reads: app.app.get<ReadService>(READS),
      },
    );
  const count = async (p: string): Promise<number> => Number((await t.api.get(`${p}?limit=1`)).body.count);
  const modelReport = (r: ImportReport, model: string, pass?: string) =>
    r.models.find((m) => m.netbox === model && m.pass === pass)!;

  beforeAll(async () => {
    t = await createTestApp();
    first = await run();
  }, 300_000);
  afterAll(async () => {
    await t?.close();
  });

  it('a dry run keeps nothing; a run stopped half-way is finished by the next without duplicates', async () => {
    const other = await createTestApp();
    try {
      const dry = await run(other, data, true);
      expect(dry.dryRun).toBe(true);
      expect(modelReport(dry, 'dcim.device').created).toBe(72);
      expect(Number((await other.api.get('/api/dcim/devices/?limit=1')).body.count)).toBe(0);
      expect(Number((await other.api.get('/api/dcim/locations/?limit=1')).body.count)).toBe(0);

      // As far as a run gets before it is stopped: half the interfaces, nothing after them.
      const order = MAPPINGS.map((m) => m.netbox);
      const cut = order.indexOf('dcim.interface');
      const half = new Map(
        [...data.rows].filter(([model]) => !order.includes(model) || order.indexOf(model) <= cut),
      );
      half.set('dcim.interface', data.rows.get('dcim.interface')!.slice(0, 800));
      const stopped = await run(other, { description: 'half', rows: half });
      // Only LAG members among the missing half fail.
      expect(stopped.models.filter((m) => m.failed).map((m) => m.pass)).toEqual(['LAG, parent and bridge']);
      const rest = await run(other);
      expect(rest.failed).toBe(0);
      expect(modelReport(rest, 'dcim.interface').unchanged).toBe(800);
      expect(Number((await other.api.get('/api/dcim/interfaces/?limit=1')).body.count)).toBe(1586);
      expect(Number((await other.api.get('/api/dcim/devices/?limit=1')).body.count)).toBe(72);
    } finally {
      await other.close();
    }
  }, 600_000);

  it('imports every network object Plinth has a place for, and fails none', () => {
    expect(first.failed).toBe(0);
    for (const [model, n] of [
      ['dcim.device', 72],
      ['dcim.interface', 1586],
      ['dcim.cable', 108],
      ['ipam.prefix', 90],
      ['ipam.ipaddress', 180],
      ['circuits.circuit', 29],
      ['dcim.site', 24],
      ['dcim.region', 67],
      ['virtualization.virtualmachine', 180],
      ['virtualization.vminterface', 720],
      ['dcim.powerfeed', 48],
      ['tenancy.contactassignment', 3],
    ] as const) {
      const r = modelReport(first, model);
      expect({ model, total: r.total, done: r.created + r.matched }).toEqual({ model, total: n, done: n });
    }
  });

  it('counts per model agree with the source', async () => {
    expect(await count('/api/dcim/devices/')).toBe(netbox('dcim.device').length);
    expect(await count('/api/dcim/interfaces/')).toBe(netbox('dcim.interface').length);
    expect(await count('/api/dcim/front-ports/')).toBe(netbox('dcim.frontport').length);
    expect(await count('/api/dcim/cables/')).toBe(netbox('dcim.cable').length);
    expect(await count('/api/dcim/racks/')).toBe(netbox('dcim.rack').length);
    expect(await count('/api/circuits/circuits/')).toBe(netbox('circuits.circuit').length);
    expect(await count('/api/ipam/vlans/')).toBe(netbox('ipam.vlan').length);
    expect(await count('/api/ipam/ip-addresses/')).toBe(netbox('ipam.ipaddress').length);
    expect(await count('/api/tenancy/tenants/')).toBe(netbox('tenancy.tenant').length);
    // Regions, sites and locations are one location tree.
    expect(await count('/api/dcim/locations/')).toBe(
      netbox('dcim.region').length + netbox('dcim.site').length + netbox('dcim.location').length,
    );
  });

  it('keeps fields, references, tags and custom field values', async () => {
    const src = netbox('dcim.device').find((d) => d.fields.name === 'dmi01-akron-rtr01')!;
    const device = (await t.api.get('/api/dcim/devices/?name=dmi01-akron-rtr01&depth=1')).body
      .results[0] as Row;
    expect((device.location as Row).name).toBe('DM-Akron');
    expect(device.position).toBe(Number(src.fields.position));
    expect(device.face).toEqual(expect.objectContaining({ value: 'front' }));
    expect((device.status as Row).name).toBe('Active');
    expect((device.role as Row).name).toBe('Router');
    const tenant = (await t.api.get('/api/tenancy/tenants/?name=Initech')).body.results[0] as Row;
    expect(tenant.custom_fields).toEqual({ cust_id: 'INI04' });
    const site = (await t.api.get('/api/dcim/locations/?name=DM-NYC&depth=1')).body.results[0] as Row;
    expect((site.location_type as Row).name).toBe('Site');
    const tagged = netbox('extras.taggeditem').filter(
      (x) =>
        (x.fields.content_type as string[]).join('.') === 'dcim.site' &&
        String(x.fields.object_id) === netbox('dcim.site').find((s) => s.fields.name === 'DM-NYC')!.pk,
    );
    expect((site.tags as Row[]).length).toBe(tagged.length);
  });

  it('imports module types with their templates, module bays and modules, their components matched', async () => {
    for (const model of ['dcim.moduletype', 'dcim.modulebaytemplate', 'dcim.modulebay', 'dcim.module']) {
      const r = modelReport(first, model);
      expect({ model, done: r.created + r.matched }).toEqual({ model, done: netbox(model).length });
    }
    // Installing a module made its interfaces from its type's templates; NetBox's are those.
    const onModules = netbox('dcim.interface').filter((i) => i.fields.module);
    expect(onModules.length).toBeGreaterThan(0);
    expect((await t.api.get('/api/dcim/interfaces/?has_module=true&limit=1')).body.count).toBe(
      onModules.length,
    );
    const src = netbox('dcim.module')[0];
    const bay = netbox('dcim.modulebay').find((b) => b.pk === String(src.fields.module_bay))!;
    const device = netbox('dcim.device').find((d) => d.pk === String(bay.fields.device))!;
    const module = (
      await t.api.get(`/api/dcim/modules/?device=${encodeURIComponent(String(device.fields.name))}&depth=1`)
    ).body.results.find((m: Row) => (m.parent_module_bay as Row).name === bay.fields.name) as Row;
    expect((module.module_type as Row).model).toBe(
      netbox('dcim.moduletype').find((m) => m.pk === String(src.fields.module_type))!.fields.model,
    );
    expect((module.status as Row).name).toBe('Active');
  });

  it('joins the cables NetBox has, so paths trace', async () => {
    const cabled = await t.api.get('/api/dcim/interfaces/?cabled=true&limit=1');
    expect(cabled.body.count).toBe(
      netbox('dcim.cabletermination').filter(
        (x) => (x.fields.termination_type as string[]).join('.') === 'dcim.interface',
      ).length,
    );
  });

  it("traces the same cable paths as NetBox's stored ones", () => {
    expect(first.paths).toBeDefined();
    // Where Plinth differs, it follows Nautobot on purpose (a circuit with no far end).
    for (const d of first.paths!.differences) expect(d.reason).toMatch(/as Nautobot/);
    expect(first.paths!.agree).toBeGreaterThan(100);
  });

  it('puts each VRF in a namespace of its own, so overlapping addresses import', async () => {
    const ns = (await t.api.get('/api/ipam/namespaces/?limit=50')).body.results as Row[];
    expect(ns.map((n) => n.name).sort()).toEqual(
      ['Global', ...netbox('ipam.vrf').map((v) => `VRF ${String(v.fields.name)}`)].sort(),
    );
  });

  it('lists every NetBox model and every value with no place in Plinth', () => {
    const listed = new Set(first.models.map((m) => m.netbox));
    for (const model of data.rows.keys()) expect(listed).toContain(model);
    const ranges = modelReport(first, 'ipam.iprange');
    expect(ranges.skipped).toBe(netbox('ipam.iprange').length);
    expect(Object.keys(ranges.skipReasons)[0]).toMatch(/no IP range model/);
    expect(first.dropped).toEqual(
      expect.arrayContaining([expect.objectContaining({ netbox: 'dcim.site', field: 'group' })]),
    );
  });

  it('writes through the change log with one request id', async () => {
    const changes = await t.api.get(`/api/extras/object-changes/?request_id=${first.request_id}&limit=1`);
    expect(changes.body.count).toBeGreaterThan(1000);
  });

  it('imports config contexts and the object permissions that map (the demo data has none: made here)', async () => {
    const region = netbox('dcim.region')[0];
    const role = netbox('dcim.devicerole')[0];
    const rows = new Map(data.rows);
    rows.set('extras.configcontext', [
      {
        model: 'extras.configcontext',
        pk: '1',
        fields: {
          name: 'ntp',
          weight: 500,
          is_active: true,
          data: { ntp: ['10.0.0.1'] },
          regions: [Number(region.pk)],
          roles: [Number(role.pk)],
          site_groups: [1],
        },
      },
    ]);
    rows.set('users.objectpermission', [
      {
        model: 'users.objectpermission',
        pk: '1',
        fields: {
          name: 'device viewers',
          enabled: true,
          object_types: [
            ['dcim', 'device'],
            ['dcim', 'site'],
          ],
          actions: ['view'],
          constraints: null,
          users: [['alice']],
          groups: [],
        },
      },
      {
        model: 'users.objectpermission',
        pk: '2',
        fields: {
          name: 'nyc only',
          object_types: [['dcim', 'site']],
          actions: ['view'],
          constraints: { name: 'DM-NYC' },
        },
      },
    ]);
    const extra = await run(t, { description: 'with policy', rows });
    expect(extra.failed).toBe(0);
    expect(modelReport(extra, 'extras.configcontext').created).toBe(1);
    const ctx = (await t.api.get('/api/extras/config-contexts/?name=ntp&depth=1')).body.results[0] as Row;
    expect(ctx).toMatchObject({ weight: 500, data: { ntp: ['10.0.0.1'] } });
    expect((ctx.locations as Row[]).map((l) => l.name)).toEqual([region.fields.name]);
    expect(extra.dropped).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ netbox: 'extras.configcontext', field: 'site_groups' }),
      ]),
    );
    const perms = modelReport(extra, 'users.objectpermission');
    expect({ created: perms.created, skipped: perms.skipped }).toEqual({ created: 1, skipped: 1 });
    const perm = (await t.api.get('/api/users/permissions/?name=device+viewers&depth=1')).body
      .results[0] as Row;
    expect(perm.object_types).toEqual(['dcim.device', 'dcim.location']);
    expect((perm.users as Row[]).map((u) => u.username)).toEqual(['alice']);
  });

  it('makes site groups location types under Region with --site-groups location-types', async () => {
    const other = await createTestApp();
    try {
      const places = [
        ...['extras.customfieldchoiceset', 'extras.customfield', 'extras.tag', 'extras.taggeditem'],
        ...['tenancy.tenantgroup', 'tenancy.tenant', 'ipam.asn', 'dcim.region', 'dcim.sitegroup'],
      ];
      const rows = new Map(
        [...data.rows].filter(([model]) => [...places, 'dcim.site', 'dcim.location'].includes(model)),
      );
      // The demo data's locations are all in sites of no group: one moves into a branch office.
      const grouped = netbox('dcim.site').filter((x) => x.fields.group);
      const [moved, ...others] = netbox('dcim.location');
      rows.set('dcim.location', [
        { ...moved, fields: { ...moved.fields, site: Number(grouped[0].pk), parent: null } },
        ...others.filter((x) => String(x.fields.parent) !== moved.pk),
      ]);
      const report = await run(other, { ...data, rows }, false, 'location-types');
      expect(
        report.models.flatMap((m) => m.failures.slice(0, 2).map((x) => `${m.netbox}: ${x.reason}`)),
      ).toEqual([]);
      const get = async (p: string) => (await other.api.get(p)).body.results as Row[];
      const types = await get('/api/dcim/location-types/?limit=50&depth=1');
      const branch = types.find((x) => x.name === 'Branch Offices')!;
      expect((branch.parent as Row).name).toBe('Region');
      expect(branch.content_types).toEqual(expect.arrayContaining(['dcim.device', 'dcim.rack']));
      // Groups nest in NetBox; as location types they all sit under Region (reported).
      expect(report.dropped).toEqual(
        expect.arrayContaining([expect.objectContaining({ netbox: 'dcim.sitegroup', field: 'parent' })]),
      );
      const branches = await get('/api/dcim/locations/?location_type=Branch%20Offices&limit=100');
      expect(branches.length).toBe(
        grouped.filter(
          (x) =>
            String(x.fields.group) ===
            String(netbox('dcim.sitegroup').find((g) => g.fields.name === 'Branch Offices')!.pk),
        ).length,
      );
      // A site keeps its region as parent; ungrouped sites stay of type Site.
      const sites = await get('/api/dcim/locations/?location_type=Site&limit=100');
      expect(sites.length).toBe(netbox('dcim.site').length - grouped.length);
      expect(await get('/api/dcim/locations/?location_type=Region&limit=200')).toHaveLength(
        netbox('dcim.region').length,
      );
      // A location in a grouped site is of the group's own Location type (one parent type each).
      const [inBranch] = await get(
        `/api/dcim/locations/?name=${encodeURIComponent(String(moved.fields.name))}&depth=1`,
      );
      const group = netbox('dcim.sitegroup').find((g) => g.pk === String(grouped[0].fields.group))!;
      expect((inBranch.location_type as Row).name).toBe(`${String(group.fields.name)} Location`);
      expect((inBranch.parent as Row).name).toBe(grouped[0].fields.name);
    } finally {
      await other.close();
    }
  }, 300_000);

  it('a second run changes nothing', async () => {
    const second = await run();
    expect(second.models.filter((m) => m.updated).map((m) => [m.netbox, m.pass])).toEqual([]);
    expect(formatReport(second).at(-1)).toMatch(/^0 created, 0 updated, \d+ unchanged, 0 failed/);
    const mains = second.models.filter((m) => !m.pass && m.target);
    expect(mains.reduce((n, m) => n + m.created + m.updated, 0)).toBe(0);
    expect(second.failed).toBe(0);
    expect(mains.reduce((n, m) => n + m.unchanged, 0)).toBeGreaterThan(4000);
  }, 300_000);
});

/** The same demo data from a NetBox 4.1 database: its `pg_dump`, and the database itself. */
describe(
  onDatabase('plinth import netbox: the NetBox 4.1 community demo data (pg_dump and database)'),
  () => {
    const DUMP = path.resolve(__dirname, '..', 'fixtures', 'netbox-demo-data', 'netbox-demo-v4.1.sql');
    const dump = readPgDump(DUMP);
    let t: TestApp;
    let report: ImportReport;

    beforeAll(async () => {
      t = await createTestApp();
      report = await importNetbox(
        t.app.get<ObjectsService>(OBJECTS),
        t.app.get<SqlRunner>(SQL),
        dump,
        MAPPINGS,
        SKIPPED,
        {
          sourceName: 'demo41',
          dryRun: false,
          models: t.app
            .get<ModelLookup>(MODELS)
            .all()
            .map((m) => m.label),
        },
      );
    }, 300_000);
    afterAll(async () => {
      await t?.close();
    });

    it('reads a pg_dump file without a database and imports it with no failures', async () => {
      expect(report.failed).toBe(0);
      const count = async (p: string) => Number((await t.api.get(`${p}?limit=1`)).body.count);
      expect(await count('/api/dcim/devices/')).toBe(dump.rows.get('dcim.device')!.length);
      expect(await count('/api/dcim/interfaces/')).toBe(dump.rows.get('dcim.interface')!.length);
      expect(await count('/api/dcim/cables/')).toBe(dump.rows.get('dcim.cable')!.length);
      expect(await count('/api/ipam/ip-addresses/')).toBe(dump.rows.get('ipam.ipaddress')!.length);
      // NetBox 4 moved users to its own app and keeps choices in choice sets: read as 3.x named them.
      expect(dump.rows.get('auth.user')!.length).toBeGreaterThan(0);
      const rack = (await t.api.get('/api/dcim/racks/?limit=1&depth=1')).body.results[0] as Row;
      expect(rack.type).toBeTruthy();
    });

    const pgUrl = process.env.PLINTH_TEST_DATABASE_URL;
    const psql = [
      '/usr/bin/psql',
      ...(fs.existsSync('/usr/lib/postgresql') ? fs.readdirSync('/usr/lib/postgresql') : []).map(
        (v) => `/usr/lib/postgresql/${v}/bin/psql`,
      ),
    ].find((p) => fs.existsSync(p));
    (pgUrl && psql ? it : it.skip)(
      'reads the same data from the NetBox database itself (read only)',
      async () => {
        const name = `netbox_src_${process.pid}_${Date.now()}`;
        const admin = new URL(pgUrl!);
        const exec = async (q: string) => {
          const { Client } = await import('pg');
          const c = new Client({ connectionString: admin.toString() });
          await c.connect();
          try {
            await c.query(q);
          } finally {
            await c.end();
          }
        };
        await exec(`CREATE DATABASE ${name}`);
        try {
          const url = new URL(admin.toString());
          url.pathname = `/${name}`;
          // The dump's owner statements name NetBox's role; its absence only warns.
          execFileSync(psql!, ['-q', '-X', '-v', 'ON_ERROR_STOP=0', '-d', url.toString(), '-f', DUMP], {
            stdio: ['ignore', 'ignore', 'ignore'],
          });
          const live = await readPostgres(url.toString());
          for (const model of [
            'dcim.device',
            'dcim.interface',
            'dcim.cabletermination',
            'ipam.ipaddress',
            'auth.user',
            'extras.taggeditem',
          ])
            expect({ model, n: live.rows.get(model)?.length }).toEqual({
              model,
              n: dump.rows.get(model)?.length,
            });
          // Field by field, the two readers agree (types included: numbers, booleans, JSON, arrays, content types).
          for (const model of [
            'dcim.device',
            'dcim.interface',
            'ipam.vrf',
            'dcim.cabletermination',
            'extras.customfield',
          ]) {
            const a = live.rows.get(model)![0];
            const b = dump.rows.get(model)![0];
            expect(JSON.parse(JSON.stringify(a.fields))).toEqual(JSON.parse(JSON.stringify(b.fields)));
          }
        } finally {
          await exec(`DROP DATABASE ${name} WITH (FORCE)`);
        }
      },
      300_000,
    );
  },
);
