import type { ApiClient, TestApp } from '@plinth/testing';

/* eslint-disable @typescript-eslint/no-explicit-any */
export type Obj = Record<string, any>;

/** POST that must succeed: returns the created object(s), or fails the test with the response body. */
export async function create(api: ApiClient, path: string, body: unknown): Promise<any> {
  const res = await api.post(path, body);
  if (res.status !== 201) {
    throw new Error(`POST ${path} ${JSON.stringify(body)} -> ${res.status} ${JSON.stringify(res.body)}`);
  }
  return res.body;
}

export const DCIM = {
  locationTypes: '/api/dcim/location-types/',
  locations: '/api/dcim/locations/',
  rackGroups: '/api/dcim/rack-groups/',
  racks: '/api/dcim/racks/',
  manufacturers: '/api/dcim/manufacturers/',
  deviceTypes: '/api/dcim/device-types/',
  platforms: '/api/dcim/platforms/',
  devices: '/api/dcim/devices/',
  virtualChassis: '/api/dcim/virtual-chassis/',
  cables: '/api/dcim/cables/',
  interfaces: '/api/dcim/interfaces/',
  frontPorts: '/api/dcim/front-ports/',
  rearPorts: '/api/dcim/rear-ports/',
  consolePorts: '/api/dcim/console-ports/',
  consoleServerPorts: '/api/dcim/console-server-ports/',
  powerPorts: '/api/dcim/power-ports/',
  powerOutlets: '/api/dcim/power-outlets/',
  deviceBays: '/api/dcim/device-bays/',
  interfaceTemplates: '/api/dcim/interface-templates/',
  consolePortTemplates: '/api/dcim/console-port-templates/',
  consoleServerPortTemplates: '/api/dcim/console-server-port-templates/',
  powerPortTemplates: '/api/dcim/power-port-templates/',
  powerOutletTemplates: '/api/dcim/power-outlet-templates/',
  frontPortTemplates: '/api/dcim/front-port-templates/',
  rearPortTemplates: '/api/dcim/rear-port-templates/',
  deviceBayTemplates: '/api/dcim/device-bay-templates/',
};

export const CIRCUITS = {
  providers: '/api/circuits/providers/',
  providerNetworks: '/api/circuits/provider-networks/',
  circuitTypes: '/api/circuits/circuit-types/',
  circuits: '/api/circuits/circuits/',
  terminations: '/api/circuits/circuit-terminations/',
};

export interface Site {
  region: Obj;
  site: Obj;
  room: Obj;
  otherSite: Obj;
  types: { region: Obj; site: Obj; room: Obj };
  role: Obj;
  manufacturer: Obj;
}

/**
 * Region → Site → Room location types (sites and rooms take devices and racks), two sites, a
 * room, a device role and a manufacturer. `prefix` keeps names unique when a suite builds more
 * than one.
 */
export async function buildSite(t: TestApp, prefix = ''): Promise<Site> {
  const api = t.api;
  const stuff = ['dcim.device', 'dcim.rack', 'dcim.rackgroup', 'circuits.circuittermination'];
  const region = await create(api, DCIM.locationTypes, { name: `${prefix}Region`, nestable: true });
  const site = await create(api, DCIM.locationTypes, {
    name: `${prefix}Site`,
    parent: region.id,
    content_types: stuff,
  });
  const room = await create(api, DCIM.locationTypes, {
    name: `${prefix}Room`,
    parent: site.id,
    content_types: stuff,
  });
  const europe = await create(api, DCIM.locations, {
    name: `${prefix}Europe`,
    location_type: region.id,
    status: 'Active',
  });
  const ams = await create(api, DCIM.locations, {
    name: `${prefix}AMS`,
    location_type: site.id,
    parent: europe.id,
    status: 'Active',
  });
  const fra = await create(api, DCIM.locations, {
    name: `${prefix}FRA`,
    location_type: site.id,
    parent: europe.id,
    status: 'Active',
  });
  const room1 = await create(api, DCIM.locations, {
    name: `${prefix}AMS-R1`,
    location_type: room.id,
    parent: ams.id,
    status: 'Active',
  });
  const role = await create(api, '/api/extras/roles/', {
    name: `${prefix}Leaf`,
    content_types: ['dcim.device'],
  });
  const manufacturer = await create(api, DCIM.manufacturers, { name: `${prefix}Acme` });
  return {
    region: europe,
    site: ams,
    room: room1,
    otherSite: fra,
    types: { region, site, room },
    role,
    manufacturer,
  };
}

/** A device type with `interfaces` 1000BASE-T interfaces named `eth<n>` (and nothing else). */
export async function switchType(
  t: TestApp,
  manufacturer: Obj,
  model: string,
  interfaces: number,
  extra: Obj = {},
) {
  const type = await create(t.api, DCIM.deviceTypes, { manufacturer: manufacturer.id, model, ...extra });
  if (interfaces > 0) {
    await create(
      t.api,
      DCIM.interfaceTemplates,
      Array.from({ length: interfaces }, (_, i) => ({
        device_type: type.id,
        name: `eth${i + 1}`,
        type: '1000base-t',
      })),
    );
  }
  return type;
}

/** A device with the usual required fields filled in. */
export function device(s: Site, type: Obj, name: string | null, extra: Obj = {}): Obj {
  return { name, device_type: type.id, role: s.role.id, location: s.site.id, status: 'Active', ...extra };
}
