import { createTestApp, onDatabase, type TestApp } from '@plinth/testing';
import type { Rec } from '@plinth/plugin-sdk';
import { buildDomainFixture, type DomainFixture } from './ui-domain-fixtures';
import { text, UiSession } from './ui-helpers';

describe(onDatabase('web UI domain pages'), () => {
  let t: TestApp;
  let f: DomainFixture;
  let ui: UiSession;

  beforeAll(async () => {
    t = await createTestApp();
    f = await buildDomainFixture(t.objects);
    ui = await new UiSession(t.baseUrl).login();
  });
  afterAll(async () => {
    await t?.close();
  });

  const queries = (res: { headers: Record<string, string> }) => Number(res.headers['x-sql-queries']);

  it('runs the same number of SQL queries for a device list page of 5 or 50 rows', async () => {
    const [type] = await t.objects.find('dcim.devicetype', { model: 'AR-2U' });
    const roles = await t.objects.find('extras.role', {});
    const [tenant] = await t.objects.create('tenancy.tenant', [{ name: 'Tenant A' }]);
    const [platform] = await t.objects.create('dcim.platform', [{ name: 'EOS' }]);
    // Devices of several roles, tenants, platforms and locations: related objects vary per row.
    await t.objects.create(
      'dcim.device',
      Array.from({ length: 60 }, (_, i) => ({
        name: `bulk-${String(i).padStart(2, '0')}`,
        device_type: type.id,
        role: roles[i % roles.length].id,
        location: (i % 2 ? f.ams1 : f.fra).id,
        tenant: i % 3 ? tenant.id : null,
        platform: i % 4 ? platform.id : null,
        status: 'Active',
      })),
    );
    const small = await ui.get('/dcim/devices/?name__isw=bulk-&per_page=5');
    const large = await ui.get('/dcim/devices/?name__isw=bulk-&per_page=50');
    expect(small.status).toBe(200);
    expect(text(small.text)).toContain('Showing 1–5 of 60');
    expect(text(large.text)).toContain('Showing 1–50 of 60');
    expect(queries(large)).toBeGreaterThan(0);
    expect(queries(large)).toBe(queries(small));
  });

  it('lists locations depth-first with contributed count columns, at a constant query count', async () => {
    const page = await ui.get('/dcim/locations/?per_page=50');
    const body = text(page.text);
    const order = ['Americas', 'Europe', 'AMS', 'AMS-1', 'FRA'].map((n) => body.indexOf(` ${n} `));
    expect(order.every((p, i) => p > 0 && (i === 0 || p > order[i - 1]))).toBe(true);
    expect(page.text).toContain('<th>Racks</th>');
    expect(page.text).toContain('<th>Prefixes</th>');
    // Rows of the same shape (a parent, a type, a status): AMS and AMS-1.
    const two = await ui.get('/dcim/locations/?per_page=2&page=2');
    expect(text(two.text)).toContain('Showing 3–4 of 5');
    expect(queries(two)).toBe(queries(page));
    // A sort chosen by the user replaces the tree order.
    const sorted = text((await ui.get('/dcim/locations/?sort=-name')).text);
    expect(sorted.indexOf(' FRA ')).toBeLessThan(sorted.indexOf(' Americas '));
  });

  it('offers contributed columns in the column chooser and remembers hiding them', async () => {
    const page = await ui.get('/dcim/locations/');
    expect(page.text).toContain('name="columns" value="device_count"');
    const saved = await ui.post('/dcim/locations/columns/', { columns: ['name', 'rack_count'] });
    expect(saved.status).toBe(303);
    const after = await ui.get('/dcim/locations/');
    expect(after.text).toContain('<th>Racks</th>');
    expect(after.text).not.toContain('<th>Devices</th>');
    await ui.post('/dcim/locations/columns/', { reset: '1' });
  });

  it('runs the same number of SQL queries for a prefix list page with utilization of 2 or 20 rows', async () => {
    await t.objects.create(
      'ipam.prefix',
      Array.from({ length: 20 }, (_, i) => ({ prefix: `10.20.${i}.0/24`, status: 'Active' })),
    );
    const small = await ui.get('/ipam/prefixes/?per_page=2');
    const large = await ui.get('/ipam/prefixes/?per_page=20');
    expect(large.text.match(/class="progress utilization"/g)?.length).toBe(20);
    expect(queries(large)).toBe(queries(small));
  });

  it('shows domain panels to a user who may not view what they list, without errors', async () => {
    await t.createUser(
      'viewer',
      [
        {
          actions: ['view'],
          object_types: ['dcim.device', 'dcim.location', 'dcim.rack', 'circuits.circuit'],
        },
      ],
      { password: 'viewer-password-1' },
    );
    const viewer = await new UiSession(t.baseUrl).login('viewer', 'viewer-password-1');
    const pages: [string, string][] = [
      [
        `/dcim/devices/${String(f.leaf1.id)}/?tab=interfaces`,
        'You do not have permission to view interfaces.',
      ],
      [`/dcim/devices/${String(f.leaf1.id)}/?tab=components`, 'permission to view console ports,'],
      [`/dcim/racks/${String(f.rack.id)}/`, 'Rack Elevation'],
      [`/dcim/locations/${String(f.ams.id)}/`, 'Child Locations'],
      [`/circuits/circuits/${String(f.circuit.id)}/`, 'permission to view circuit terminations'],
    ];
    for (const [url, expected] of pages) {
      const res = await viewer.get(url);
      expect({ url, status: res.status }).toEqual({ url, status: 200 });
      expect(res.text).not.toContain('plugin-error');
      expect(text(res.text)).toContain(expected);
    }
  });

  it('renders every domain page of the fixture without a plugin error', async () => {
    const detail = (label: string, o: Rec, tab = '') => {
      const base = label.replace('.', '/');
      return `/${base}/${String(o.id)}/${tab}`;
    };
    const urls = [
      detail('dcim.devices', f.leaf1, '?tab=interfaces'),
      detail('dcim.devices', f.patch, '?tab=components'),
      detail('dcim.racks', f.descRack),
      detail('dcim.locations', f.region),
      detail('dcim.locations', f.region, '?tab=elevations'),
      detail('ipam.prefixes', f.container),
      detail('ipam.prefixes', f.container, '?tab=prefixes'),
      detail('ipam.prefixes', f.network, '?tab=addresses'),
      detail('ipam.vlan-groups', f.vlanGroup),
      detail('ipam.vlans', f.vlan20),
      detail('circuits.circuits', f.circuit),
    ];
    for (const url of urls) {
      const res = await ui.get(url);
      expect({ url, status: res.status, error: res.text.includes('plugin-error') }).toEqual({
        url,
        status: 200,
        error: false,
      });
    }
  });
});
