import { createTestApp, onDatabase, type TestApp } from '@plinth/plugin-sdk/testing';
import { seriesOf, valueOf } from './testing/exposition';

const APP = '@plinth/app-capacity-metrics';

/** `/metrics` as a staff client sees it, with the SQL statements the scrape ran. */
async function scrape(t: TestApp): Promise<{ text: string; queries: number }> {
  const res = await t.http().get('/metrics').set('Authorization', `Token ${t.api.token}`);
  expect(res.status).toBe(200);
  return { text: res.text, queries: Number(res.headers['x-sql-queries']) };
}

/** A location name the exposition format must escape (quote, backslash). */
const FRA = 'FRA "2" \\ east';

/**
 * Two locations, four device series (location × status × role), interfaces with one cable,
 * prefixes with addresses in two namespaces, VLAN groups, job results and webhook deliveries.
 */
async function buildDataSet(t: TestApp): Promise<void> {
  const o = t.objects;
  const [site] = await o.create('dcim.locationtype', [{ name: 'Site', content_types: ['dcim.device'] }]);
  const [ams, fra] = await o.create('dcim.location', [
    { name: 'AMS', location_type: site.id, status: 'Active' },
    { name: FRA, location_type: site.id, status: 'Active' },
  ]);
  const [leaf, spine] = await o.create('extras.role', [
    { name: 'Leaf', content_types: ['dcim.device'] },
    { name: 'Spine', content_types: ['dcim.device'] },
  ]);
  const [mfr] = await o.create('dcim.manufacturer', [{ name: 'Acme' }]);
  const [type] = await o.create('dcim.devicetype', [{ manufacturer: mfr.id, model: 'X1' }]);
  const device = (name: string, location: string, status: string, role: string) => ({
    name,
    device_type: type.id,
    location,
    status,
    role,
  });
  const [d1, d2] = await o.create('dcim.device', [
    device('d1', ams.id, 'Active', leaf.id),
    device('d2', ams.id, 'Active', leaf.id),
    device('d3', ams.id, 'Planned', spine.id),
    device('d4', fra.id, 'Active', spine.id),
    device('d5', fra.id, 'Planned', leaf.id),
  ]);
  const iface = (dev: string, name: string, type: string, status: string) => ({
    device: dev,
    name,
    type,
    status,
  });
  const [a, b] = await o.create('dcim.interface', [
    iface(d1.id, 'eth0', '1000base-t', 'Active'),
    iface(d2.id, 'eth0', '1000base-t', 'Active'),
    iface(d1.id, 'eth1', '1000base-t', 'Active'),
    iface(d2.id, 'xe0', '10gbase-x-sfpp', 'Planned'),
  ]);
  await o.create('dcim.cable', [
    {
      termination_a_type: 'dcim.interface',
      termination_a_id: a.id,
      termination_b_type: 'dcim.interface',
      termination_b_id: b.id,
      status: 'Connected',
    },
  ]);

  const [lab] = await o.create('ipam.namespace', [{ name: 'Lab' }]);
  const prefix = (p: string, type: string, namespace?: string) => ({
    prefix: p,
    type,
    status: 'Active',
    ...(namespace ? { namespace } : {}),
  });
  await o.create('ipam.prefix', [
    prefix('10.0.0.0/16', 'container'),
    prefix('10.0.1.0/24', 'network'),
    prefix('10.0.2.0/24', 'network'),
    // Longer than /24: no series of its own, but counted in the container's children.
    prefix('10.0.3.0/29', 'network'),
    prefix('192.168.0.0/24', 'network', lab.id),
  ]);
  const ip = (address: string, namespace?: string) => ({
    address,
    status: 'Active',
    ...(namespace ? { namespace } : {}),
  });
  await o.create('ipam.ipaddress', [
    ip('10.0.1.1/24'),
    ip('10.0.1.2/24'),
    ip('10.0.1.3/24'),
    ip('192.168.0.1/24', lab.id),
  ]);

  const [campus] = await o.create('ipam.vlangroup', [{ name: 'Campus' }, { name: 'Empty' }]);
  await o.create(
    'ipam.vlan',
    [10, 20, 30].map((vid) => ({ vid, name: `v${vid}`, vlan_group: campus.id, status: 'Active' })),
  );

  // Job results and webhook deliveries are written by the job runner and the webhook sender
  // (neither runs here): the rows are inserted as they would leave them.
  for (const status of ['SUCCESS', 'SUCCESS', 'FAILURE'])
    await t.sql(
      `INSERT INTO "extras_jobresult" ("created", "last_updated", "name", "status", "date_created")
       VALUES (now(), now(), 'demo.Audit', $1, now())`,
      [status],
    );
  const hook = await t.api.post('/api/extras/webhooks/', {
    name: 'Ticketing',
    content_types: ['extras.tag'],
    type_create: true,
    payload_url: 'https://tickets.invalid/hook',
  });
  expect(hook.status).toBe(201);
  for (const status of ['succeeded', 'failed', 'failed'])
    await t.sql(
      `INSERT INTO "extras_webhookdelivery" ("created", "last_updated", "webhook_id", "event", "changed_object_type",
         "changed_object_id", "request_id", "status", "payload")
       VALUES (now(), now(), $1, 'created', 'extras.tag', gen_random_uuid(), gen_random_uuid(), $2, '{}')`,
      [hook.body.id, status],
    );
}

describe(onDatabase('capacity metrics app'), () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({
      plugins: [APP],
      pluginsConfig: { capacity_metrics: { cache_ttl_seconds: 3600, max_series: 3 } },
      // Core's object counts are recounted at every scrape, so that two scrapes differ only by
      // this app's computation.
      env: { PLINTH_METRICS_OBJECT_COUNT_TTL_S: '0' },
    });
    await buildDataSet(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  let first: { text: string; queries: number };

  it('reports devices, interfaces, addresses, VLANs, jobs and webhooks with exact values', async () => {
    first = await scrape(t);
    const { text } = first;
    expect(seriesOf(text, 'capacity_metrics_devices')).toEqual([
      { labels: { location: 'AMS', status: 'Active', role: 'Leaf' }, value: 2 },
      { labels: { location: 'AMS', status: 'Planned', role: 'Spine' }, value: 1 },
      // max_series 3: the two smallest of four series are summed.
      { labels: { location: 'other', status: 'other', role: 'other' }, value: 2 },
    ]);
    expect(seriesOf(text, 'capacity_metrics_interfaces')).toEqual([
      { labels: { type: '1000base-t', status: 'Active', connected: 'false' }, value: 1 },
      { labels: { type: '1000base-t', status: 'Active', connected: 'true' }, value: 2 },
      { labels: { type: '10gbase-x-sfpp', status: 'Planned', connected: 'false' }, value: 1 },
    ]);
    // Ranked by size: the /16, then the first /24 by label; the rest summed (used 0 + 1 of 254 + 254).
    expect(seriesOf(text, 'capacity_metrics_prefix_used_addresses')).toEqual([
      { labels: { namespace: 'Global', prefix: '10.0.0.0/16', type: 'container' }, value: 520 },
      { labels: { namespace: 'Global', prefix: '10.0.1.0/24', type: 'network' }, value: 3 },
      { labels: { namespace: 'other', prefix: 'other', type: 'other' }, value: 1 },
    ]);
    expect(seriesOf(text, 'capacity_metrics_prefix_size_addresses').map((s) => s.value)).toEqual([
      65536, 254, 508,
    ]);
    expect(seriesOf(text, 'capacity_metrics_prefix_utilization_ratio').map((s) => s.value)).toEqual([
      520 / 65536,
      3 / 254,
      1 / 508,
    ]);
    expect(seriesOf(text, 'capacity_metrics_namespace_used_addresses')).toEqual([
      { labels: { namespace: 'Global' }, value: 520 },
      { labels: { namespace: 'Lab' }, value: 1 },
    ]);
    expect(seriesOf(text, 'capacity_metrics_namespace_size_addresses').map((s) => s.value)).toEqual([
      65536, 254,
    ]);
    expect(seriesOf(text, 'capacity_metrics_vlan_group_used_vlans')).toEqual([
      { labels: { vlan_group: 'Campus' }, value: 3 },
      { labels: { vlan_group: 'Empty' }, value: 0 },
    ]);
    expect(seriesOf(text, 'capacity_metrics_vlan_group_size_vlans').map((s) => s.value)).toEqual([
      4094, 4094,
    ]);
    expect(seriesOf(text, 'capacity_metrics_vlan_group_utilization_ratio').map((s) => s.value)).toEqual([
      3 / 4094,
      0,
    ]);
    expect(seriesOf(text, 'capacity_metrics_ip_addresses')).toEqual([
      { labels: { namespace: 'Global' }, value: 3 },
      { labels: { namespace: 'Lab' }, value: 1 },
    ]);
    expect(seriesOf(text, 'capacity_metrics_job_results')).toEqual([
      { labels: { job: 'demo.Audit', status: 'FAILURE' }, value: 1 },
      { labels: { job: 'demo.Audit', status: 'SUCCESS' }, value: 2 },
    ]);
    expect(seriesOf(text, 'capacity_metrics_webhook_deliveries')).toEqual([
      { labels: { webhook: 'Ticketing', status: 'failed' }, value: 2 },
      { labels: { webhook: 'Ticketing', status: 'succeeded' }, value: 1 },
    ]);
    expect(valueOf(text, 'capacity_metrics_computations_total')).toBe(1);
    expect(valueOf(text, 'capacity_metrics_computation_sql_queries')).toBe(7);
  });

  it('declares help text and types', async () => {
    const { text } = await scrape(t);
    expect(text).toContain('# HELP capacity_metrics_devices Devices by location, status and role.\n');
    expect(text).toContain('# TYPE capacity_metrics_devices gauge\n');
    expect(text).toContain('# TYPE capacity_metrics_computations_total counter\n');
    expect(text).toContain('# TYPE capacity_metrics_prefix_utilization_ratio gauge\n');
  });

  it('serves a second scrape within the TTL from the cache: no SQL of its own', async () => {
    const before = valueOf(first.text, 'capacity_metrics_last_computed_timestamp_seconds');
    // A change inside the TTL is not seen yet.
    await t.objects.create('dcim.device', [
      {
        name: 'd6',
        device_type: (await t.objects.find('dcim.devicetype', { model: 'X1' }))[0].id,
        location: (await t.objects.find('dcim.location', { name: 'AMS' }))[0].id,
        status: 'Active',
        role: (await t.objects.find('extras.role', { name: 'Leaf' }))[0].id,
      },
    ]);
    const again = await scrape(t);
    expect(valueOf(again.text, 'capacity_metrics_computations_total')).toBe(1);
    expect(valueOf(again.text, 'capacity_metrics_last_computed_timestamp_seconds')).toBe(before);
    expect(seriesOf(again.text, 'capacity_metrics_devices')[0].value).toBe(2);
    // The first scrape ran the app's 7 statements on top of everything this one runs too.
    expect(first.queries - again.queries).toBe(7);
  });
});

describe(onDatabase('capacity metrics app without a cache'), () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({
      plugins: [APP],
      pluginsConfig: { capacity_metrics: { cache_ttl_seconds: 0 } },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('computes at every scrape with TTL 0, escaping label values', async () => {
    const [site] = await t.objects.create('dcim.locationtype', [
      { name: 'Site', content_types: ['dcim.device'] },
    ]);
    const [loc] = await t.objects.create('dcim.location', [
      { name: FRA, location_type: site.id, status: 'Active' },
    ]);
    const [role] = await t.objects.create('extras.role', [{ name: 'Edge', content_types: ['dcim.device'] }]);
    const [mfr] = await t.objects.create('dcim.manufacturer', [{ name: 'Acme' }]);
    const [type] = await t.objects.create('dcim.devicetype', [{ manufacturer: mfr.id, model: 'X1' }]);
    const one = await scrape(t);
    expect(valueOf(one.text, 'capacity_metrics_computations_total')).toBe(1);
    expect(seriesOf(one.text, 'capacity_metrics_devices')).toEqual([]);
    await t.objects.create('dcim.device', [
      { name: 'e1', device_type: type.id, location: loc.id, status: 'Active', role: role.id },
    ]);
    const two = await scrape(t);
    expect(valueOf(two.text, 'capacity_metrics_computations_total')).toBe(2);
    expect(two.text).toContain(
      'capacity_metrics_devices{location="FRA \\"2\\" \\\\ east",status="Active",role="Edge"} 1\n',
    );
    expect(seriesOf(two.text, 'capacity_metrics_devices')).toEqual([
      { labels: { location: FRA, status: 'Active', role: 'Edge' }, value: 1 },
    ]);
  });

  it('refuses bad settings at start-up with one line naming the setting', async () => {
    await expect(
      createTestApp({ plugins: [APP], pluginsConfig: { capacity_metrics: { max_series: 1 } } }),
    ).rejects.toThrow(/capacity_metrics.*max_series/);
    await expect(
      createTestApp({ plugins: [APP], pluginsConfig: { capacity_metrics: { cache_ttl: 60 } } }),
    ).rejects.toThrow(/capacity_metrics.*cache_ttl/);
  });
});
