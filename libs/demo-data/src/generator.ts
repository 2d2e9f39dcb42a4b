import type { AnyRecord, ObjectsApi, Rec } from '@plinth/plugin-sdk';
import {
  CITY_CODES,
  DEVICE_TYPES,
  PROVIDERS,
  REGIONS,
  SERVER_VLANS,
  TENANTS,
  portNames,
  type DeviceTypeSpec,
} from './catalog';
import { createRegionContacts, createSharedContacts, createSiteContacts } from './contacts';
import { createModuleCatalog, installSiteModules } from './modules';
import { generatePower, reservationUser } from './power';
import { generateInventory } from './inventory';
import { Random } from './random';
import { createSiteRedundancy } from './redundancy';
import { createVirtualizationShared, generateSiteVirtualization } from './virtualization';
import { createSoftware, versionFor } from './software';

export type Scale = 'small' | 'medium' | 'large';

export interface ScaleSpec {
  regions: number;
  sitesPerRegion: number;
  leafs: number;
  access: number;
}

/** Per site: 2 edge routers, 2 spines, the leafs and access switches, a console server, a patch panel. */
export const SCALES: Record<Scale, ScaleSpec> = {
  small: { regions: 2, sitesPerRegion: 2, leafs: 4, access: 4 },
  medium: { regions: 4, sitesPerRegion: 6, leafs: 8, access: 10 },
  large: { regions: 10, sitesPerRegion: 25, leafs: 16, access: 18 },
};

export interface GenerateOptions {
  scale: Scale;
  seed?: number;
  /** Sites written per batch (each batch is a few bulk writes per model). */
  sitesPerBatch?: number;
  /**
   * Batches generated at once (default 2): while one batch's writes wait on the database, the
   * next one's are built and validated, so the process and the database work at the same time.
   * Each batch draws from its own seeded generator, so the data stays the same for a seed.
   */
  concurrency?: number;
  log?: (message: string) => void;
  /** Called after each batch with sites done / total (progress bars). */
  progress?: (done: number, total: number) => void;
}

export interface GenerateSummary {
  counts: Record<string, number>;
  seconds: number;
}

const DEVICES_PER_RACK = 8;
/** Asset tags numbered per site (`AT-` and seven digits): a site has at most this many. */
const ASSET_TAGS_PER_SITE = 1000;

interface SiteDevice {
  name: string;
  kind: DeviceTypeSpec['key'];
  index: number;
  rack: number;
  position: number;
}

/** The devices of one site, in a fixed order and rack layout. */
function siteLayout(site: string, spec: ScaleSpec): SiteDevice[] {
  const devices: SiteDevice[] = [];
  const add = (kind: string, count: number, label: string): void => {
    for (let i = 1; i <= count; i++)
      devices.push({
        name: `${site}-${label}-${String(i).padStart(2, '0')}`,
        kind,
        index: i,
        rack: 0,
        position: 0,
      });
  };
  add('router', 2, 'edge');
  add('spine', 2, 'spine');
  add('console', 1, 'con');
  add('patch', 1, 'pp');
  add('leaf', spec.leafs, 'leaf');
  add('access', spec.access, 'access');
  // Core gear bottom-up in rack 1; switches eight to a rack, one unit apart, from rack 2.
  let core = 1;
  let switches = 0;
  for (const d of devices) {
    if (d.kind === 'leaf' || d.kind === 'access') {
      d.rack = 2 + Math.floor(switches / DEVICES_PER_RACK);
      d.position = 1 + 2 * (switches % DEVICES_PER_RACK);
      switches++;
    } else {
      d.rack = 1;
      d.position = core++;
    }
  }
  return devices;
}

function siteName(i: number): string {
  return `${CITY_CODES[i % CITY_CODES.length]}${String(Math.floor(i / CITY_CODES.length) + 1).padStart(2, '0')}`;
}

function byKey<T extends Rec>(records: T[], key: (r: T) => string): Map<string, T> {
  return new Map(records.map((r) => [key(r), r]));
}

/**
 * Generates a realistic network: regions and sites, racks, device types with components, racked
 * devices, leaf/spine/access cabling, console cabling, prefixes and IPs on interfaces, VLANs,
 * VRFs, tenants, circuits, and software versions with image files on the devices. Deterministic for a seed. Everything goes through the write path
 * in bulk batches, so it is validated and change-logged like any other data.
 */
export async function generateDemoData(objects: ObjectsApi, opts: GenerateOptions): Promise<GenerateSummary> {
  const spec = SCALES[opts.scale];
  const seed = opts.seed ?? 1;
  const log = opts.log ?? (() => undefined);
  const started = Date.now();
  const counts: Record<string, number> = {};
  const create = async (label: string, rows: Rec[]): Promise<AnyRecord[]> => {
    if (rows.length === 0) return [];
    const out = await objects.create(label, rows);
    counts[label] = (counts[label] ?? 0) + out.length;
    return out;
  };

  if ((await objects.count('dcim.locationtype', { name: 'Region' })) > 0) {
    throw new Error(
      'the database already has demo data (location type "Region" exists); use an empty database',
    );
  }

  // ---- shared objects
  log('creating shared objects (location types, device types, roles, tenants, providers)');
  const [regionType] = await create('dcim.locationtype', [
    { name: 'Region', description: 'Geographic region' },
  ]);
  const [siteType] = await create('dcim.locationtype', [
    {
      name: 'Site',
      parent: regionType.id,
      description: 'A data centre or office',
      content_types: [
        'dcim.device',
        'dcim.module',
        'dcim.rack',
        'dcim.rackgroup',
        'dcim.powerpanel',
        'ipam.prefix',
        'ipam.vlan',
        'ipam.vlangroup',
        'circuits.circuittermination',
        'virtualization.cluster',
        'virtualization.virtualmachine',
      ],
    },
  ]);
  const manufacturers = byKey(
    await create(
      'dcim.manufacturer',
      [...new Set(DEVICE_TYPES.map((d) => d.manufacturer))].map((name) => ({ name })),
    ),
    (r) => String(r.name),
  );
  const deviceTypes = new Map<string, Rec>();
  for (const dt of DEVICE_TYPES) {
    const [row] = await create('dcim.devicetype', [
      {
        manufacturer: manufacturers.get(dt.manufacturer)!.id,
        model: dt.model,
        u_height: dt.u_height,
        is_full_depth: dt.is_full_depth ?? true,
      },
    ]);
    deviceTypes.set(dt.key, row);
    const device_type = row.id;
    await create(
      'dcim.interfacetemplate',
      dt.interfaces.flatMap((r) =>
        portNames(r).map((name) => ({ device_type, name, type: r.type, mgmt_only: !!r.mgmt_only })),
      ),
    );
    await create(
      'dcim.consoleporttemplate',
      (dt.console_ports ?? []).map((name) => ({ device_type, name, type: 'rj-45' })),
    );
    await create(
      'dcim.powerporttemplate',
      (dt.power_ports ?? []).map((name) => ({ device_type, name, type: 'iec-60320-c14', maximum_draw: 450 })),
    );
    if (dt.console_server_ports) {
      await create(
        'dcim.consoleserverporttemplate',
        portNames(dt.console_server_ports).map((name) => ({ device_type, name, type: 'rj-45' })),
      );
    }
    if (dt.front_rear_ports) {
      const rears = await create(
        'dcim.rearporttemplate',
        Array.from({ length: dt.front_rear_ports }, (_, i) => ({
          device_type,
          name: `Rear ${i + 1}`,
          type: '8p8c',
          positions: 1,
        })),
      );
      await create(
        'dcim.frontporttemplate',
        rears.map((rear, i) => ({
          device_type,
          name: `Front ${i + 1}`,
          type: '8p8c',
          rear_port_template: rear.id,
          rear_port_position: 1,
        })),
      );
    }
  }
  const moduleCatalog = await createModuleCatalog(
    create,
    manufacturers.get('Juniper')!.id,
    deviceTypes.get('router')!.id,
  );
  const roles = byKey(
    await create(
      'extras.role',
      [
        'edge-router',
        'spine',
        'leaf',
        'access',
        'console-server',
        'patch-panel',
        'loopback',
        'management',
      ].map((name, i) => ({
        name,
        weight: i * 100,
        content_types:
          name === 'loopback' || name === 'management' ? ['ipam.ipaddress', 'ipam.prefix'] : ['dcim.device'],
      })),
    ),
    (r) => String(r.name),
  );
  const roleOf: Record<string, string> = {
    router: 'edge-router',
    spine: 'spine',
    leaf: 'leaf',
    access: 'access',
    console: 'console-server',
    patch: 'patch-panel',
  };
  const platforms = byKey(
    await create('dcim.platform', [
      {
        name: 'junos',
        manufacturer: manufacturers.get('Juniper')!.id,
        network_driver: 'juniper_junos',
        napalm_driver: 'junos',
      },
      {
        name: 'eos',
        manufacturer: manufacturers.get('Arista')!.id,
        network_driver: 'arista_eos',
        napalm_driver: 'eos',
      },
      {
        name: 'ios-xe',
        manufacturer: manufacturers.get('Cisco')!.id,
        network_driver: 'cisco_xe',
        napalm_driver: 'ios',
      },
      { name: 'opengear', manufacturer: manufacturers.get('Opengear')!.id, network_driver: 'linux' },
    ]),
    (r) => String(r.name),
  );
  const platformOf: Record<string, string | undefined> = {
    router: 'junos',
    spine: 'eos',
    leaf: 'eos',
    access: 'ios-xe',
    console: 'opengear',
  };
  const software = await createSoftware(create, new Random(seed + 7919), platforms, (platform) =>
    Object.keys(platformOf)
      .filter((kind) => platformOf[kind] === platform && deviceTypes.has(kind))
      .map((kind) => String(deviceTypes.get(kind)!.id)),
  );
  const [customers] = await create('tenancy.tenantgroup', [{ name: 'Customers' }]);
  const tenants = await create(
    'tenancy.tenant',
    TENANTS.map((name) => ({ name, tenant_group: customers.id })),
  );
  const [rir] = await create('ipam.rir', [{ name: 'RFC 1918', is_private: true }]);
  const [docRir] = await create('ipam.rir', [
    { name: 'RFC 3849', is_private: true, description: 'IPv6 documentation space' },
  ]);
  const [rtMgmt] = await create('ipam.routetarget', [{ name: '65000:100', description: 'Management' }]);
  const [mgmtVrf] = await create('ipam.vrf', [
    {
      name: 'MGMT',
      rd: '65000:100',
      namespace: 'Global',
      import_targets: [rtMgmt.id],
      export_targets: [rtMgmt.id],
    },
  ]);
  await create('ipam.prefix', [
    {
      prefix: '10.0.0.0/8',
      type: 'container',
      status: 'Active',
      namespace: 'Global',
      rir: rir.id,
      description: 'Private IPv4',
    },
    {
      prefix: '2001:db8::/32',
      type: 'container',
      status: 'Active',
      namespace: 'Global',
      rir: docRir.id,
      description: 'IPv6',
    },
  ]);
  const providers = await create(
    'circuits.provider',
    PROVIDERS.map((p) => ({ name: p.name, asn: p.asn, account: `ACCT-${p.asn}` })),
  );
  const providerNetworks = await create(
    'circuits.providernetwork',
    providers.map((p) => ({ provider: p.id, name: `${String(p.name)} backbone` })),
  );
  const [internet] = await create('circuits.circuittype', [{ name: 'Internet' }, { name: 'MPLS' }]);
  const contacts = await createSharedContacts(create);
  const virtualization = await createVirtualizationShared(create);

  // ---- regions and sites, in batches
  const regions = await create(
    'dcim.location',
    REGIONS.slice(0, spec.regions).map((name) => ({ name, location_type: regionType.id, status: 'Active' })),
  );
  const planner = await reservationUser(objects, create);
  await createRegionContacts(create, contacts, regions);
  const totalSites = spec.regions * spec.sitesPerRegion;
  const batch = opts.sitesPerBatch ?? 10;
  const batches: number[][] = [];
  for (let first = 0; first < totalSites; first += batch)
    batches.push(Array.from({ length: Math.min(batch, totalSites - first) }, (_, i) => first + i));
  let next = 0;
  let sitesDone = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < batches.length) {
      const indices = batches[next++];
      try {
        // A batch's own generator and asset-tag range: the same data whichever batch finishes first.
        await generateSites(indices, new Random(seed * 1_000_003 + indices[0]), {
          next: indices[0] * ASSET_TAGS_PER_SITE + 1,
        });
      } catch (e) {
        failed = true;
        throw e;
      }
      sitesDone += indices.length;
      opts.progress?.(sitesDone, totalSites);
      log(
        `sites ${indices[0] + 1}-${indices[0] + indices.length} done, ${sitesDone} of ${totalSites} (${Math.round((Date.now() - started) / 1000)} s)`,
      );
    }
  };
  const workers = Array.from(
    { length: Math.max(1, Math.min(opts.concurrency ?? 2, batches.length)) },
    worker,
  );
  // Every batch settles before an error is reported: none is left writing behind the caller.
  const failure = (await Promise.allSettled(workers)).find((r) => r.status === 'rejected');
  if (failure) throw (failure as PromiseRejectedResult).reason;
  // Components were created from the device types' templates with their devices.
  for (const label of [
    'dcim.interface',
    'dcim.consoleport',
    'dcim.consoleserverport',
    'dcim.powerport',
    'dcim.frontport',
    'dcim.rearport',
  ])
    counts[label] = await objects.count(label, {});
  return { counts, seconds: (Date.now() - started) / 1000 };

  async function generateSites(indices: number[], rnd: Random, assetTags: { next: number }): Promise<void> {
    const sites = await create(
      'dcim.location',
      indices.map((i) => ({
        name: siteName(i),
        location_type: siteType.id,
        parent: regions[Math.floor(i / spec.sitesPerRegion)].id,
        status: rnd.chance(0.95) ? 'Active' : 'Planned',
        tenant: rnd.chance(0.5) ? rnd.pick(tenants).id : null,
        facility: `DC-${String(i + 1).padStart(3, '0')}`,
        asn: 65000 + i,
        time_zone: 'UTC',
        latitude: (rnd.next() * 140 - 70).toFixed(6),
        longitude: (rnd.next() * 340 - 170).toFixed(6),
      })),
    );
    await createSiteContacts(create, contacts, sites);
    const layouts = sites.map((s) => siteLayout(String(s.name), spec));

    const racks = await create(
      'dcim.rack',
      sites.flatMap((s, k) =>
        [...new Set(layouts[k].map((d) => d.rack))].map((r) => ({
          name: `${String(s.name)}-R${String(r).padStart(2, '0')}`,
          location: s.id,
          status: 'Active',
          u_height: 42,
          width: 19,
          type: '4-post-cabinet',
          tenant: s.tenant,
        })),
      ),
    );
    const rackId = byKey(racks, (r) => String(r.name));

    const devices = await create(
      'dcim.device',
      sites.flatMap((s, k) =>
        layouts[k].map((d) => ({
          name: d.name,
          device_type: deviceTypes.get(d.kind)!.id,
          role: roles.get(roleOf[d.kind])!.id,
          platform: platformOf[d.kind] ? platforms.get(platformOf[d.kind]!)!.id : null,
          software_version: platformOf[d.kind] ? versionFor(software, platformOf[d.kind]!, rnd) : null,
          location: s.id,
          rack: rackId.get(`${String(s.name)}-R${String(d.rack).padStart(2, '0')}`)!.id,
          position: d.position,
          face: 'front',
          status: rnd.chance(0.97) ? 'Active' : 'Planned',
          tenant: s.tenant,
          serial: `SN${String(rnd.int(1e8, 1e9 - 1))}`,
        })),
      ),
    );
    const deviceIds = devices.map((d) => String(d.id));
    const device = byKey(devices, (d) => String(d.name));
    const routerType = String(deviceTypes.get('router')!.id);
    await installSiteModules(
      objects,
      create,
      moduleCatalog,
      devices.filter((d) => String(d.device_type) === routerType),
      sites,
      rnd,
    );
    const kindOf = new Map(layouts.flat().map((d) => [d.name, d.kind]));
    const catalog = new Map(DEVICE_TYPES.map((dt) => [dt.key, dt.manufacturer]));
    await generateInventory(
      devices.map((d) => {
        const kind = kindOf.get(String(d.name))!;
        const name = catalog.get(kind)!;
        return { device: d, kind, manufacturer: { id: manufacturers.get(name)!.id, name } };
      }),
      rnd,
      assetTags,
      create,
    );

    // Components (created from the templates with the devices) by device name and port name.
    const port = async (label: string): Promise<(dev: string, name: string) => string> => {
      const rows = await objects.find(label, { device: deviceIds });
      const deviceName = new Map(devices.map((d) => [String(d.id), String(d.name)]));
      const map = new Map(
        rows.map((r) => [`${deviceName.get(String(r.device))}|${String(r.name)}`, String(r.id)]),
      );
      return (dev, name) => {
        const id = map.get(`${dev}|${name}`);
        if (!id) throw new Error(`demo data: ${label} ${dev} ${name} was not created from its template`);
        return id;
      };
    };
    const iface = await port('dcim.interface');
    const consolePort = await port('dcim.consoleport');
    const consoleServerPort = await port('dcim.consoleserverport');
    await createSiteRedundancy(
      create,
      objects,
      sites,
      (site) => [`${site}-edge-01`, `${site}-edge-02`],
      iface,
      (name) => String(device.get(name)!.id),
    );

    // Cabling: leaf/spine fabric, spines to edge routers, access uplinks to leafs, console.
    const cables: Rec[] = [];
    const cable = (aType: string, a: string, bType: string, b: string, type: string): void => {
      cables.push({
        termination_a_type: aType,
        termination_a_id: a,
        termination_b_type: bType,
        termination_b_id: b,
        type,
        status: 'Connected',
      });
    };
    for (const k of sites.keys()) {
      const named = (kind: string) => layouts[k].filter((d) => d.kind === kind).map((d) => d.name);
      const [spine1, spine2] = named('spine');
      const leafs = named('leaf');
      leafs.forEach((leaf, i) => {
        cable(
          'dcim.interface',
          iface(leaf, 'Ethernet25'),
          'dcim.interface',
          iface(spine1, `Ethernet${i + 1}`),
          'mmf-om4',
        );
        cable(
          'dcim.interface',
          iface(leaf, 'Ethernet26'),
          'dcim.interface',
          iface(spine2, `Ethernet${i + 1}`),
          'mmf-om4',
        );
      });
      named('router').forEach((router, r) => {
        cable(
          'dcim.interface',
          iface(router, 'et-0/0/0'),
          'dcim.interface',
          iface(spine1, `Ethernet${31 + r}`),
          'smf-os2',
        );
        cable(
          'dcim.interface',
          iface(router, 'et-0/0/1'),
          'dcim.interface',
          iface(spine2, `Ethernet${31 + r}`),
          'smf-os2',
        );
      });
      named('access').forEach((access, i) => {
        const leaf = leafs[i % leafs.length];
        cable(
          'dcim.interface',
          iface(access, 'TenGigabitEthernet1/1/1'),
          'dcim.interface',
          iface(leaf, `Ethernet${20 + Math.floor(i / leafs.length)}`),
          'dac-passive',
        );
      });
      const [con] = named('console');
      [...named('router'), ...named('spine'), ...leafs].slice(0, 16).forEach((dev, i) => {
        const consoleName = dev.includes('-edge-') ? 'con' : 'Console';
        cable(
          'dcim.consoleserverport',
          consoleServerPort(con, `Port ${i + 1}`),
          'dcim.consoleport',
          consolePort(dev, consoleName),
          'cat6',
        );
      });
    }
    await create('dcim.cable', cables);
    await generatePower(objects, create, sites, racks, devices, planner);

    // IPAM per site: a /16 container with loopback, management and VLAN networks; an IPv6 /48.
    const prefixRows: Rec[] = [];
    sites.forEach((s, k) => {
      const n = indices[k] % 250;
      const v6 = (indices[k] + 1).toString(16);
      const common = { namespace: 'Global', location: s.id, tenant: s.tenant, status: 'Active' };
      prefixRows.push(
        {
          ...common,
          prefix: `10.${n}.0.0/16`,
          type: 'container',
          location: null,
          description: `${String(s.name)} site block`,
        },
        {
          ...common,
          prefix: `10.${n}.0.0/24`,
          type: 'pool',
          role: roles.get('loopback')!.id,
          description: 'Loopbacks',
        },
        {
          ...common,
          prefix: `10.${n}.1.0/24`,
          type: 'network',
          role: roles.get('management')!.id,
          vrfs: [mgmtVrf.id],
          description: 'Management',
        },
        ...SERVER_VLANS.map((v, j) => ({
          ...common,
          prefix: `10.${n}.${10 + j}.0/24`,
          type: 'network',
          description: v.name,
        })),
        {
          ...common,
          prefix: `2001:db8:${v6}::/48`,
          type: 'container',
          location: null,
          description: `${String(s.name)} IPv6`,
        },
      );
    });
    await create('ipam.prefix', prefixRows);

    const ipRows: Rec[] = [];
    const primary: Rec[] = [];
    sites.forEach((s, k) => {
      const n = indices[k] % 250;
      layouts[k].forEach((d, j) => {
        const spec = DEVICE_TYPES.find((t) => t.key === d.kind)!;
        const mgmt = spec.interfaces.find((r) => r.mgmt_only);
        if (mgmt) {
          ipRows.push({
            address: `10.${n}.1.${j + 10}/24`,
            namespace: 'Global',
            status: 'Active',
            role: roles.get('management')!.id,
            dns_name: `${d.name}.mgmt.example.net`,
            interfaces: [iface(d.name, portNames(mgmt)[0])],
            tenant: s.tenant,
          });
          primary.push({ device: d.name, address: `10.${n}.1.${j + 10}/24` });
        }
        if (d.kind === 'router' || d.kind === 'spine' || d.kind === 'leaf') {
          ipRows.push({
            address: `10.${n}.0.${j + 1}/32`,
            namespace: 'Global',
            status: 'Active',
            role: roles.get('loopback')!.id,
            dns_name: `${d.name}.example.net`,
          });
        }
      });
    });
    const ips = byKey(await create('ipam.ipaddress', ipRows), (r) => String(r.address));
    await objects.update(
      'dcim.device',
      primary.map((p) => ({
        id: device.get(String(p.device))!.id,
        primary_ip4: ips.get(String(p.address))!.id,
      })),
    );

    // VLANs per site; the first access ports are access ports in the server VLAN.
    const groups = await create(
      'ipam.vlangroup',
      sites.map((s) => ({ name: `${String(s.name)}-vlans`, location: s.id })),
    );
    const vlans = await create(
      'ipam.vlan',
      groups.flatMap((g, k) =>
        SERVER_VLANS.map((v) => ({
          vid: v.vid,
          name: v.name,
          vlan_group: g.id,
          location: sites[k].id,
          status: 'Active',
        })),
      ),
    );
    const serverVlan = byKey(
      vlans.filter((v) => v.vid === SERVER_VLANS[0].vid),
      (v) => String(v.location),
    );
    const ifaceUpdates: AnyRecord[] = [];
    sites.forEach((s, k) => {
      for (const d of layouts[k].filter((x) => x.kind === 'access')) {
        for (let p = 1; p <= 4; p++) {
          ifaceUpdates.push({
            id: iface(d.name, `GigabitEthernet1/0/${p}`),
            mode: 'access',
            untagged_vlan: serverVlan.get(String(s.id))!.id,
            description: 'server',
          });
        }
      }
    });
    await objects.update('dcim.interface', ifaceUpdates);

    // A cluster per site with two VMs per leaf switch in the servers VLAN.
    await generateSiteVirtualization(
      create,
      (label, rows) => objects.update(label, rows),
      virtualization,
      sites.map((s, k) => ({
        site: s,
        n: indices[k] % 250,
        index: indices[k],
        serverVlan: serverVlan.get(String(s.id))!,
      })),
      spec.leafs * 2,
      rnd,
    );

    // One Internet circuit per edge router, cabled to its last 10G port.
    const circuitRows: Rec[] = [];
    const routerOf: string[] = [];
    sites.forEach((s, k) => {
      const routers = layouts[k].filter((x) => x.kind === 'router');
      for (const [r, d] of routers.entries()) {
        const circuitSeq = indices[k] * routers.length + r + 1;
        const provider = providers[circuitSeq % providers.length];
        circuitRows.push({
          cid: `${String(provider.name).toUpperCase()}-${String(100000 + circuitSeq)}`,
          provider: provider.id,
          circuit_type: internet.id,
          status: 'Active',
          tenant: s.tenant,
          commit_rate: rnd.pick([100000, 1000000, 10000000]),
          install_date: `20${String(rnd.int(15, 25))}-0${rnd.int(1, 9)}-1${rnd.int(0, 9)}`,
        });
        routerOf.push(d.name);
      }
    });
    const circuits = await create('circuits.circuit', circuitRows);
    const terminations = await create(
      'circuits.circuittermination',
      circuits.flatMap((c, i) => {
        const site = device.get(routerOf[i])!.location;
        const pn = providerNetworks[providers.findIndex((p) => p.id === c.provider)];
        return [
          {
            circuit: c.id,
            term_side: 'A',
            location: site,
            port_speed: c.commit_rate,
            xconnect_id: `XC-${i}`,
          },
          { circuit: c.id, term_side: 'Z', provider_network: pn.id },
        ];
      }),
    );
    await create(
      'dcim.cable',
      circuits.map((c, i) => ({
        termination_a_type: 'dcim.interface',
        termination_a_id: iface(routerOf[i], 'xe-0/1/7'),
        termination_b_type: 'circuits.circuittermination',
        termination_b_id: terminations[i * 2].id,
        type: 'smf-os2',
        status: 'Connected',
      })),
    );
  }
}
