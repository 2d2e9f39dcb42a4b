import type { AnyRecord, ObjectsApi, Rec } from '@plinth/plugin-sdk';

type Create = (label: string, rows: Rec[]) => Promise<AnyRecord[]>;

/** The edge-router pair's shared interface: a VRRP group per site on it. */
const VRRP_INTERFACE = 'xe-0/1/6';

/**
 * Each site's two edge routers form an active/passive device redundancy group (edge-01 first),
 * and their `xe-0/1/6` interfaces a VRRP group (group id = the site's number, edge-01 preferred).
 */
export async function createSiteRedundancy(
  create: Create,
  objects: ObjectsApi,
  sites: readonly AnyRecord[],
  edgeRouters: (site: string) => [string, string],
  iface: (device: string, name: string) => string,
  deviceId: (name: string) => string,
): Promise<void> {
  const groups = await create(
    'dcim.deviceredundancygroup',
    sites.map((s) => ({
      name: `${String(s.name)}-edge`,
      status: 'Active',
      failover_strategy: 'active-passive',
      description: `Edge routers of ${String(s.name)}`,
    })),
  );
  await objects.update(
    'dcim.device',
    sites.flatMap((s, k) =>
      edgeRouters(String(s.name)).map((name, i) => ({
        id: deviceId(name),
        device_redundancy_group: groups[k].id,
        device_redundancy_group_priority: i + 1,
      })),
    ),
  );
  const vrrp = await create(
    'dcim.interfaceredundancygroup',
    sites.map((s) => ({
      name: `${String(s.name)}-vrrp`,
      status: 'Active',
      protocol: 'vrrp',
      protocol_group_id: String(Number(s.asn) - 64999),
    })),
  );
  await create(
    'dcim.interfaceredundancygroupassociation',
    sites.flatMap((s, k) =>
      edgeRouters(String(s.name)).map((name, i) => ({
        interface_redundancy_group: vrrp[k].id,
        interface: iface(name, VRRP_INTERFACE),
        priority: i === 0 ? 200 : 100,
      })),
    ),
  );
}
