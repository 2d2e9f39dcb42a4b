import { createTestApp, onDatabase, type TestApp } from '@plinth/testing';
import { DCIM, buildSite, create, type Obj, type Site } from './dcim-fixtures';
import { UiSession, text } from './ui-helpers';
import { VIRT } from './virtualization-fixtures';

const SERVICES = '/api/ipam/services/';
const IPAM = {
  ipAddresses: '/api/ipam/ip-addresses/',
  prefixes: '/api/ipam/prefixes/',
  vlans: '/api/ipam/vlans/',
};

describe(onDatabase('virtualization'), () => {
  let t: TestApp;
  let s: Site;
  let kvm: Obj;
  let group: Obj;
  let ams: Obj;
  let cloud: Obj;
  let vmRole: Obj;
  const names = (res: { body: { results: Obj[] } }) => res.body.results.map((r) => r.name);

  beforeAll(async () => {
    t = await createTestApp();
    s = await buildSite(t);
    await t.api.patch(`${DCIM.locationTypes}${s.types.site.id}/`, {
      content_types: [
        'dcim.device',
        'dcim.rack',
        'dcim.rackgroup',
        'circuits.circuittermination',
        'virtualization.cluster',
        'virtualization.virtualmachine',
        'ipam.vlan',
      ],
    });
    await t.api.patch(`${DCIM.locationTypes}${s.types.region.id}/`, { content_types: ['ipam.vlan'] });
    kvm = await create(t.api, VIRT.clusterTypes, { name: 'KVM' });
    group = await create(t.api, VIRT.clusterGroups, { name: 'Production' });
    ams = await create(t.api, VIRT.clusters, {
      name: 'ams-kvm',
      cluster_type: kvm.id,
      cluster_group: group.id,
      location: s.site.id,
    });
    cloud = await create(t.api, VIRT.clusters, { name: 'cloud', cluster_type: 'KVM' });
    vmRole = await create(t.api, '/api/extras/roles/', {
      name: 'App server',
      content_types: ['virtualization.virtualmachine'],
    });
    await create(t.api, IPAM.prefixes, { prefix: '10.9.0.0/24', status: 'Active' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('enforces cluster and location rules on virtual machines, naming the field', async () => {
    const none = await t.api.post(VIRT.virtualMachines, { name: 'lost', status: 'Active' });
    expect(none.status).toBe(400);
    expect(none.body).toEqual({
      cluster: ['A virtual machine must be assigned to a cluster and/or a location.'],
    });
    const elsewhere = await t.api.post(VIRT.virtualMachines, {
      name: 'moved',
      status: 'Active',
      cluster: ams.id,
      location: s.otherSite.id,
    });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body.cluster[0]).toMatch(/ams-kvm\) is not assigned to this location/);
    const region = await t.api.post(VIRT.virtualMachines, {
      name: 'r',
      status: 'Active',
      location: s.region.id,
    });
    expect(region.body).toEqual({
      location: ['Virtual machines may not associate to locations of type "Region".'],
    });
    const badRole = await t.api.post(VIRT.virtualMachines, {
      name: 'x',
      status: 'Active',
      cluster: ams.id,
      role: s.role.id,
    });
    expect(badRole.status).toBe(400);
    expect(Object.keys(badRole.body)).toEqual(['role']);
    const badCpu = await t.api.post(VIRT.virtualMachines, {
      name: 'x',
      status: 'Active',
      cluster: ams.id,
      vcpus: -1,
    });
    expect(Object.keys(badCpu.body)).toEqual(['vcpus']);

    const ok = await create(t.api, VIRT.virtualMachines, {
      name: 'web1',
      status: 'Active',
      cluster: ams.id,
      location: s.site.id,
      role: vmRole.id,
      vcpus: 4,
      memory: 8192,
      disk: 100,
      local_config_context_data: { ntp: ['10.0.0.1'] },
    });
    expect(ok).toMatchObject({
      name: 'web1',
      cluster: { id: ams.id, object_type: 'virtualization.cluster' },
      location: { id: s.site.id },
      status: { object_type: 'extras.status' },
      vcpus: 4,
      memory: 8192,
      disk: 100,
    });
    const twice = await t.api.post(VIRT.virtualMachines, { name: 'web1', status: 'Active', cluster: ams.id });
    expect(twice.body).toEqual({
      name: ['A virtual machine with this name already exists in the assigned cluster.'],
    });
    // A location alone, or a cluster without a location, will do.
    await create(t.api, VIRT.virtualMachines, [
      { name: 'edge-vm', status: 'Planned', location: s.otherSite.id },
      { name: 'cloud-vm', status: 'Active', cluster: cloud.id, vcpus: 1 },
    ]);
    // Two new VMs of one write without a tenant may not share a name in a cluster either (the
    // database's unique constraint lets NULL tenants through).
    const pair = await t.api.post(VIRT.virtualMachines, [
      { name: 'pair', status: 'Active', cluster: cloud.id },
      { name: 'pair', status: 'Active', cluster: cloud.id },
    ]);
    expect(pair.status).toBe(400);
    expect(pair.body).toEqual([
      {},
      { name: ['A virtual machine with this name already exists in the assigned cluster.'] },
    ]);
    // The checks are per write: 40 VMs take the statements of 4.
    const vms = (n: number, prefix: string) =>
      t.api.post(
        VIRT.virtualMachines,
        Array.from({ length: n }, (_, i) => ({
          name: `${prefix}-${i}`,
          status: 'Active',
          cluster: ams.id,
          location: s.site.id,
        })),
      );
    const few = await vms(4, 'few');
    const many = await vms(40, 'many');
    expect([few.status, many.status]).toEqual([201, 201]);
    expect(many.queries).toBe(few.queries);
    const written = [...few.body, ...many.body].map((vm: Obj) => ({ id: vm.id }));
    expect((await t.api.delete(VIRT.virtualMachines, written)).status).toBe(204);
    // Bulk writes are atomic: one bad object keeps the others out.
    const bulk = await t.api.post(VIRT.virtualMachines, [
      { name: 'bulk-ok', status: 'Active', cluster: cloud.id },
      { name: 'bulk-bad', status: 'Active' },
    ]);
    expect(bulk.status).toBe(400);
    expect((await t.api.get(`${VIRT.virtualMachines}?name=bulk-ok`)).body.count).toBe(0);
    // Clusters in use are protected.
    expect((await t.api.delete(`${VIRT.clusters}${cloud.id}/`)).status).toBe(409);
  });

  it('takes devices as cluster hosts (dcim.device.cluster) at the cluster location', async () => {
    const type = await create(t.api, DCIM.deviceTypes, {
      manufacturer: s.manufacturer.id,
      model: 'Hypervisor',
    });
    const host = (name: string, location: string, cluster: string) => ({
      name,
      device_type: type.id,
      role: s.role.id,
      status: 'Active',
      location,
      cluster,
    });
    const away = await t.api.post(DCIM.devices, host('hv-fra', s.otherSite.id, ams.id));
    expect(away.status).toBe(400);
    expect(away.body.cluster[0]).toMatch(
      /ams-kvm\) is at AMS, which does not include this device's location/,
    );
    const [hv1] = await create(t.api, DCIM.devices, [
      host('hv1', s.room.id, 'ams-kvm'),
      host('hv2', s.otherSite.id, cloud.id),
    ]);
    expect(hv1.cluster).toMatchObject({ id: ams.id, object_type: 'virtualization.cluster' });
    expect(names(await t.api.get(`${DCIM.devices}?cluster=ams-kvm`))).toEqual(['hv1']);
    expect(names(await t.api.get(`${DCIM.devices}?cluster_id=${cloud.id}`))).toEqual(['hv2']);
    const gql = await t.api.post('/api/graphql/', {
      query: '{ clusters(name: "ams-kvm") { devices { name } } }',
    });
    expect(gql.body.data.clusters[0].devices).toEqual([{ name: 'hv1' }]);
    // A host without its cluster: the cluster's hosts shrink, the device stays.
    const moved = await t.api.patch(`${DCIM.devices}${hv1.id}/`, { cluster: null });
    expect(moved.body.cluster).toBeNull();
    // Deleting a cluster with hosts and no VMs keeps the hosts.
    const spare = await create(t.api, VIRT.clusters, { name: 'spare', cluster_type: kvm.id });
    await t.api.patch(`${DCIM.devices}${hv1.id}/`, { cluster: spare.id });
    expect((await t.api.delete(`${VIRT.clusters}${spare.id}/`)).status).toBe(204);
    expect((await t.api.get(`${DCIM.devices}${hv1.id}/`)).body.cluster).toBeNull();
  });

  it('enforces VM interface rules: parent, bridge, 802.1Q modes and VLAN locations', async () => {
    const vm = (await t.api.get(`${VIRT.virtualMachines}?name=web1`)).body.results[0];
    const other = (await t.api.get(`${VIRT.virtualMachines}?name=edge-vm`)).body.results[0];
    const [eth0, eth1] = await create(t.api, VIRT.interfaces, [
      { virtual_machine: vm.id, name: 'eth0', mac_address: '52:54:00:00:00:01', mtu: 1500 },
      { virtual_machine: vm.id, name: 'eth1' },
    ]);
    expect(eth0).toMatchObject({ status: { object_type: 'extras.status' }, enabled: true, mtu: 1500 });
    const foreign = await create(t.api, VIRT.interfaces, { virtual_machine: other.id, name: 'eth0' });
    const parent = await t.api.post(VIRT.interfaces, {
      virtual_machine: vm.id,
      name: 'eth0.10',
      parent_interface: foreign.id,
    });
    expect(parent.body).toEqual({
      parent_interface: ['The selected parent interface (eth0) belongs to a different virtual machine.'],
    });
    const self = await t.api.patch(`${VIRT.interfaces}${eth1.id}/`, { bridge: eth1.id });
    expect(self.body).toEqual({ bridge: ['An interface cannot be bridged to itself.'] });
    const sub = await create(t.api, VIRT.interfaces, {
      virtual_machine: vm.id,
      name: 'eth0.10',
      parent_interface: eth0.id,
      bridge: eth1.id,
    });
    expect(sub.parent_interface.id).toBe(eth0.id);

    const [v10, v20, fraVlan] = await create(t.api, IPAM.vlans, [
      { vid: 10, name: 'ten', status: 'Active' },
      { vid: 20, name: 'twenty', status: 'Active', location: s.region.id },
      { vid: 30, name: 'fra', status: 'Active', location: s.otherSite.id },
    ]);
    const noMode = await t.api.patch(`${VIRT.interfaces}${eth1.id}/`, { untagged_vlan: v10.id });
    expect(noMode.body).toEqual({
      untagged_vlan: ['An untagged VLAN requires an 802.1Q mode (access, tagged or tagged-all).'],
    });
    const access = await t.api.patch(`${VIRT.interfaces}${eth1.id}/`, {
      mode: 'access',
      tagged_vlans: [v20.id],
    });
    expect(access.body).toEqual({
      tagged_vlans: ['Mode must be set to tagged when specifying tagged_vlans (it is access).'],
    });
    const wrongSite = await t.api.patch(`${VIRT.interfaces}${eth1.id}/`, {
      mode: 'tagged',
      untagged_vlan: fraVlan.id,
    });
    expect(wrongSite.body.untagged_vlan[0]).toMatch(
      /must belong to the same location as the interface's virtual machine/,
    );
    const tagged = await t.api.patch(`${VIRT.interfaces}${eth1.id}/`, {
      mode: 'tagged',
      untagged_vlan: v10.id,
      tagged_vlans: [v20.id],
    });
    expect(tagged.status).toBe(200);
    expect(tagged.body).toMatchObject({ mode: { value: 'tagged' }, untagged_vlan: { id: v10.id } });
    expect(tagged.body.tagged_vlans.map((v: Obj) => v.id)).toEqual([v20.id]);
    expect(
      (await t.api.get(`${VIRT.interfaces}?vlan_id=${v20.id}`)).body.results.map((i: Obj) => i.id),
    ).toEqual([eth1.id]);
    const dup = await t.api.post(VIRT.interfaces, { virtual_machine: vm.id, name: 'eth0' });
    expect(dup.status).toBe(400);
    expect(Object.keys(dup.body)).toEqual(['name']);
  });

  it('assigns IP addresses to VM interfaces and takes primary IPs only from them', async () => {
    const vm = (await t.api.get(`${VIRT.virtualMachines}?name=web1`)).body.results[0];
    const eth0 = (await t.api.get(`${VIRT.interfaces}?virtual_machine=${vm.id}&name=eth0`)).body.results[0];
    const [ip, stray] = await create(t.api, IPAM.ipAddresses, [
      { address: '10.9.0.10/24', status: 'Active' },
      { address: '10.9.0.11/24', status: 'Active' },
    ]);
    const notYet = await t.api.patch(`${VIRT.virtualMachines}${vm.id}/`, { primary_ip4: ip.id });
    expect(notYet.body).toEqual({
      primary_ip4: ['The specified IP address (10.9.0.10/24) is not assigned to this virtual machine.'],
    });
    const assigned = await t.api.patch(`${VIRT.interfaces}${eth0.id}/`, { ip_addresses: [ip.id] });
    expect(assigned.body.ip_addresses.map((a: Obj) => a.id)).toEqual([ip.id]);
    const v6 = await t.api.patch(`${VIRT.virtualMachines}${vm.id}/`, { primary_ip6: ip.id });
    expect(v6.body).toEqual({ primary_ip6: ['10.9.0.10/24 is not an IPv6 address.'] });
    const primary = await t.api.patch(`${VIRT.virtualMachines}${vm.id}/`, { primary_ip4: ip.id });
    expect(primary.status).toBe(200);
    expect(primary.body.primary_ip4).toMatchObject({ id: ip.id, object_type: 'ipam.ipaddress' });
    expect((await t.api.patch(`${VIRT.virtualMachines}${vm.id}/`, { primary_ip4: stray.id })).status).toBe(
      400,
    );

    // The address knows its VM interface (GraphQL), and VMs filter on having a primary IP.
    const gql = await t.api.post('/api/graphql/', {
      query: `{ ip_addresses(address: "10.9.0.10/24") { address vm_interfaces { name virtual_machine { name } } } }`,
    });
    expect(gql.body.errors).toBeUndefined();
    expect(gql.body.data.ip_addresses[0].vm_interfaces).toEqual([
      { name: 'eth0', virtual_machine: { name: 'web1' } },
    ]);
    expect(names(await t.api.get(`${VIRT.virtualMachines}?has_primary_ip=true`))).toEqual(['web1']);
    const ipsOf = async (query: string) =>
      (await t.api.get(`${IPAM.ipAddresses}?${query}`)).body.results.map((a: Obj) => a.address);
    expect(await ipsOf('virtual_machine=web1')).toEqual(['10.9.0.10/24']);
    expect(await ipsOf(`virtual_machine_id=${vm.id}`)).toEqual(['10.9.0.10/24']);
    expect(await ipsOf(`vm_interfaces=${eth0.id}`)).toEqual(['10.9.0.10/24']);
    expect(await ipsOf('virtual_machine__n=web1')).toEqual(['10.9.0.11/24']);
    expect(await ipsOf('has_interface_assignments=true')).toEqual(['10.9.0.10/24']);
    expect(await ipsOf('has_interface_assignments=false')).toEqual(['10.9.0.11/24']);
  });

  it('runs services on virtual machines: a device or a virtual machine, exactly one', async () => {
    const vm = (await t.api.get(`${VIRT.virtualMachines}?name=web1`)).body.results[0];
    const hv2 = (await t.api.get(`${DCIM.devices}?name=hv2`)).body.results[0];
    const ip = (await t.api.get(`${IPAM.ipAddresses}?address=10.9.0.10/24`)).body.results[0];
    const neither = await t.api.post(SERVICES, { name: 'ssh', protocol: 'tcp', ports: [22] });
    expect(neither.body).toEqual({
      device: ['A service must be associated with either a device or a virtual machine.'],
    });
    const both = await t.api.post(SERVICES, {
      name: 'ssh',
      protocol: 'tcp',
      ports: [22],
      device: hv2.id,
      virtual_machine: vm.id,
    });
    expect(both.body).toEqual({
      virtual_machine: ['A service cannot be associated with both a device and a virtual machine.'],
    });
    const svc = await create(t.api, SERVICES, {
      name: 'https',
      protocol: 'tcp',
      ports: [443],
      virtual_machine: vm.id,
      ip_addresses: [ip.id],
    });
    expect(svc).toMatchObject({
      device: null,
      virtual_machine: { id: vm.id, object_type: 'virtualization.virtualmachine' },
    });
    await create(t.api, SERVICES, { name: 'https', protocol: 'tcp', ports: [443], device: hv2.id });
    const dup = await t.api.post(SERVICES, {
      name: 'https',
      protocol: 'tcp',
      ports: [8443],
      virtual_machine: vm.id,
    });
    expect(dup.status).toBe(400);
    const byVm = await t.api.get(`${SERVICES}?virtual_machine_id=${vm.id}`);
    expect(byVm.body.results.map((x: Obj) => x.id)).toEqual([svc.id]);
    expect((await t.api.get(`${SERVICES}?virtual_machine=web1`)).body.count).toBe(1);
    const gql = await t.api.post('/api/graphql/', {
      query: '{ virtual_machines(name: "web1") { services { name ports } } }',
    });
    expect(gql.body.data.virtual_machines[0].services).toEqual([{ name: 'https', ports: [443] }]);
  });

  it('filters clusters, virtual machines and interfaces by Nautobot names', async () => {
    const q = async (query: string) => names(await t.api.get(`${VIRT.virtualMachines}?${query}`));
    expect(await q(`cluster_id=${ams.id}`)).toEqual(['web1']);
    expect(await q('cluster=cloud')).toEqual(['cloud-vm']);
    expect(await q('cluster_type=KVM')).toEqual(['cloud-vm', 'web1']);
    expect(await q(`cluster_group_id=${group.id}`)).toEqual(['web1']);
    expect(await q('cluster_group=Production')).toEqual(['web1']);
    expect(await q(`location=${s.region.id}`)).toEqual(['edge-vm', 'web1']);
    expect(await q('role=App server')).toEqual(['web1']);
    expect(await q('status=Planned')).toEqual(['edge-vm']);
    expect(await q('vcpus__gte=2')).toEqual(['web1']);
    expect(await q('memory=8192')).toEqual(['web1']);
    expect(await q('disk__lt=200')).toEqual(['web1']);
    expect(await q('has_primary_ip=false')).toEqual(['cloud-vm', 'edge-vm']);
    expect(await q('has_interfaces=true')).toEqual(['edge-vm', 'web1']);
    expect(await q('mac_address=52-54-00-00-00-01')).toEqual(['web1']);
    expect(await q('q=cloud')).toEqual(['cloud-vm']);
    const bad = await t.api.get(`${VIRT.virtualMachines}?mac_address=nope`);
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body)).toEqual(['mac_address']);
    expect((await t.api.get(`${VIRT.virtualMachines}?nonsense=1`)).status).toBe(400);

    const c = async (query: string) => names(await t.api.get(`${VIRT.clusters}?${query}`));
    expect(await c(`cluster_type_id=${kvm.id}`)).toEqual(['ams-kvm', 'cloud']);
    expect(await c('cluster_group=Production')).toEqual(['ams-kvm']);
    expect(await c(`location=${s.region.id}`)).toEqual(['ams-kvm']);
    expect(await c('has_virtual_machines=true')).toEqual(['ams-kvm', 'cloud']);
    const i = async (query: string) =>
      (await t.api.get(`${VIRT.interfaces}?${query}`)).body.results.map((x: Obj) => x.display);
    expect(await i(`cluster_id=${ams.id}`)).toEqual(['web1 eth0', 'web1 eth0.10', 'web1 eth1']);
    expect(await i('virtual_machine=edge-vm')).toEqual(['edge-vm eth0']);
    expect(await i('mode=tagged')).toEqual(['web1 eth1']);
  });

  it('answers GraphQL queries over clusters, virtual machines and interfaces', async () => {
    const res = await t.api.post('/api/graphql/', {
      query: `{
        clusters(name: "ams-kvm") { name cluster_type { name } cluster_group { name } virtual_machines { name } }
        virtual_machines(cluster: "ams-kvm") { name vcpus primary_ip4 { address } interfaces { name mode } config_context }
        vm_interfaces(virtual_machine: "web1", name: "eth1") { name untagged_vlan { vid } tagged_vlans { vid } }
      }`,
    });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.clusters).toEqual([
      {
        name: 'ams-kvm',
        cluster_type: { name: 'KVM' },
        cluster_group: { name: 'Production' },
        virtual_machines: [{ name: 'web1' }],
      },
    ]);
    const [vm] = res.body.data.virtual_machines;
    expect(vm).toMatchObject({ name: 'web1', vcpus: 4, primary_ip4: { address: '10.9.0.10/24' } });
    expect(vm.interfaces.map((i: Obj) => i.name)).toEqual(['eth0', 'eth0.10', 'eth1']);
    expect(vm.config_context).toEqual({ ntp: ['10.0.0.1'] });
    expect(res.body.data.vm_interfaces).toEqual([
      { name: 'eth1', untagged_vlan: { vid: 10 }, tagged_vlans: [{ vid: 20 }] },
    ]);
  });

  it('renders config contexts for virtual machines', async () => {
    await create(t.api, '/api/extras/config-contexts/', {
      name: 'app-servers',
      weight: 100,
      roles: [vmRole.id],
      data: { syslog: 'log.example.net', ntp: ['192.0.2.1'] },
    });
    const vm = (await t.api.get(`${VIRT.virtualMachines}?name=web1&include=config_context`)).body.results[0];
    expect(vm.config_context).toEqual({ syslog: 'log.example.net', ntp: ['10.0.0.1'] });
    // Cluster and cluster group scopes: the VM's cluster, and a host device's.
    await create(t.api, '/api/extras/config-contexts/', [
      { name: 'prod-clusters', weight: 200, cluster_groups: [group.id], data: { backup: 'daily' } },
      { name: 'ams-kvm', weight: 300, clusters: ['ams-kvm'], data: { hypervisor: 'kvm' } },
      { name: 'cloud', weight: 300, clusters: [cloud.id], data: { hypervisor: 'cloud' } },
    ]);
    const rendered = async (path: string, name: string) =>
      (await t.api.get(`${path}?name=${name}&include=config_context`)).body.results[0].config_context;
    expect(await rendered(VIRT.virtualMachines, 'web1')).toEqual({
      syslog: 'log.example.net',
      ntp: ['10.0.0.1'],
      backup: 'daily',
      hypervisor: 'kvm',
    });
    expect(await rendered(VIRT.virtualMachines, 'cloud-vm')).toEqual({ hypervisor: 'cloud' });
    expect(await rendered(DCIM.devices, 'hv2')).toEqual({ hypervisor: 'cloud' });
    const gql = await t.api.post('/api/graphql/', {
      query:
        '{ config_contexts(name: "ams-kvm") { clusters { name } } cluster_groups { name config_contexts { name } } }',
    });
    expect(gql.body.errors).toBeUndefined();
    expect(gql.body.data.config_contexts[0].clusters).toEqual([{ name: 'ams-kvm' }]);
    expect(gql.body.data.cluster_groups[0].config_contexts).toEqual([{ name: 'prod-clusters' }]);
    const bad = await t.api.patch(`${VIRT.virtualMachines}${vm.id}/`, { local_config_context_data: [1] });
    expect(bad.body).toEqual({
      local_config_context_data: ['Local config context data must be a JSON object.'],
    });
  });

  it('exports and imports CSV, and change-logs writes', async () => {
    const csv = await t
      .http()
      .get(`${VIRT.virtualMachines}?format=csv&name=web1`)
      .set('Authorization', `Token ${t.api.token}`);
    expect(csv.status).toBe(200);
    const [header, row] = csv.text.trim().split(/\r?\n/);
    expect(header.split(',')).toEqual(expect.arrayContaining(['name', 'cluster', 'vcpus', 'memory', 'disk']));
    expect(row).toContain('web1');

    const ui = await new UiSession(t.baseUrl).login();
    const bad = await ui.post('/virtualization/virtual-machines/import/', {
      csv_data: 'name,status,cluster,vcpus\ncsv-a,Active,cloud,2\ncsv-b,Active,,2\n',
    });
    expect(bad.status).toBe(400);
    expect(text(bad.text)).toContain('cluster');
    expect((await t.api.get(`${VIRT.virtualMachines}?name=csv-a`)).body.count).toBe(0);
    const ok = await ui.post('/virtualization/virtual-machines/import/', {
      csv_data: 'name,status,cluster,vcpus,memory\ncsv-a,Active,cloud,2,1024\n',
    });
    expect(ok.status).toBe(303);
    const imported = (await t.api.get(`${VIRT.virtualMachines}?name=csv-a`)).body.results[0];
    expect(imported).toMatchObject({ cluster: { id: cloud.id }, vcpus: 2, memory: 1024 });
    const ifaces = await ui.post('/virtualization/interfaces/import/', {
      csv_data: 'virtual_machine,name,mtu,mode\ncsv-a,eth0,9000,access\n',
    });
    expect(ifaces.status).toBe(303);

    await t.api.patch(`${VIRT.virtualMachines}${imported.id}/`, { vcpus: 8 });
    const changes = await t.api.get(`/api/extras/object-changes/?changed_object_id=${imported.id}`);
    expect(changes.body.results[0]).toMatchObject({
      action: { value: 'update' },
      changed_object_type: 'virtualization.virtualmachine',
      prechange_data: { vcpus: 2 },
      postchange_data: { vcpus: 8 },
    });
  });

  it('needs permissions on virtualization models', async () => {
    const { api } = await t.createUser('vm-viewer', [
      { actions: ['view'], object_types: ['virtualization.virtualmachine'] },
    ]);
    expect((await api.get(VIRT.virtualMachines)).status).toBe(200);
    expect((await api.get(VIRT.clusters)).status).toBe(403);
    const write = await api.post(VIRT.virtualMachines, { name: 'nope', status: 'Active', cluster: cloud.id });
    expect(write.status).toBe(403);
  });
});
