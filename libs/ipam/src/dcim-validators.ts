import { sql, type CustomValidator, type Sql, type SqlRunner } from '@plinth/plugin-sdk';
import { ancestorsOf } from './rules/locations';
import { tables } from './tables';

/*
 * ipam's rules about the ipam references dcim's models hold (dcim cannot depend on ipam, so
 * they arrive as custom validators, the way any plugin validates another plugin's model).
 */

/**
 * A device's primary IPv4/IPv6 is an address of that family assigned to one of its interfaces,
 * or to an interface of a member of its virtual chassis (or the NAT outside address of one).
 */
export const devicePrimaryIpValidator: CustomValidator = {
  model: 'dcim.device',
  async validate(ctx) {
    const { id, virtual_chassis: chassis } = ctx.object;
    const devices = chassis
      ? sql`SELECT _d."id" FROM ${tables.device} _d WHERE _d."id" = ${id}::uuid OR _d."virtual_chassis_id" = ${chassis}::uuid`
      : sql`SELECT ${id}::uuid`;
    for (const [field, version] of [
      ['primary_ip4', 4],
      ['primary_ip6', 6],
    ] as const) {
      const ip = ctx.object[field];
      if (!ip || !(ctx.changed(field) || ctx.changed('virtual_chassis'))) continue;
      const [row] = await ctx.tx.query<{
        address: string;
        version: number;
        assigned: boolean;
      }>(sql`SELECT a."address"::text AS address, family(a."address") AS version,
              EXISTS (SELECT 1 FROM "ipam_ipaddresstointerface" _m JOIN ${tables.interface} _i ON _i."id" = _m."interface_id"
                       WHERE _m."ip_address_id" IN (a."id", a."nat_inside_id") AND _i."device_id" IN (${devices})) AS assigned
            FROM ${tables.ipAddress} a WHERE a."id" = ${ip}::uuid`);
      if (!row) continue;
      if (row.version !== version) ctx.error(field, `${row.address} is not an IPv${version} address.`);
      else if (!row.assigned) {
        ctx.error(field, `The specified IP address (${row.address}) is not assigned to this device.`);
      }
    }
  },
};

const MODE_RULES: Record<string, { untagged: boolean; tagged: boolean }> = {
  '': { untagged: false, tagged: false },
  access: { untagged: true, tagged: false },
  tagged: { untagged: true, tagged: true },
  'tagged-all': { untagged: true, tagged: false },
};

/** An interface's 802.1Q settings, for checkInterfaceVlans. */
export interface InterfaceVlans {
  mode: string;
  untagged: string | null;
  tagged: readonly string[];
  /** Subquery of the location the interface's parent (device, virtual machine) is at. */
  location: Sql;
  /** The parent, for messages: `device`, `virtual machine`. */
  parent: string;
}

/**
 * 802.1Q on interfaces (device and virtual machine interfaces alike): an untagged VLAN needs a
 * mode; a tagged list needs mode `tagged` (`tagged-all` carries every VLAN, so it has no list);
 * every VLAN is global or belongs to the parent's location or one of its parents.
 */
export async function checkInterfaceVlans(
  db: SqlRunner,
  v: InterfaceVlans,
  error: (field: string, message: string) => void,
): Promise<void> {
  const { mode, untagged, tagged } = v;
  const allowed = MODE_RULES[mode] ?? MODE_RULES[''];
  if (untagged && !allowed.untagged) {
    error('untagged_vlan', 'An untagged VLAN requires an 802.1Q mode (access, tagged or tagged-all).');
  }
  if (tagged.length && !allowed.tagged) {
    error(
      'tagged_vlans',
      `Mode must be set to tagged when specifying tagged_vlans (it is ${mode || 'unset'}).`,
    );
  }
  const ids = [...(untagged ? [untagged] : []), ...tagged];
  if (ids.length === 0) return;
  const rows = await db.query<{
    id: string;
    name: string;
    vid: number;
    ok: boolean;
  }>(sql`SELECT v."id", v."name", v."vid", (v."location_id" IS NULL OR v."location_id" IN (${ancestorsOf(v.location)})) AS ok
          FROM ${tables.vlan} v WHERE v."id" = ANY(${ids}::uuid[]) ORDER BY v."vid"`);
  const where = `the same location as the interface's ${v.parent}, one of that location's parents, or be global`;
  const bad = rows.filter((r) => !r.ok);
  const badUntagged = bad.find((r) => r.id === untagged);
  if (badUntagged) {
    error(
      'untagged_vlan',
      `The untagged VLAN (${badUntagged.name} (${badUntagged.vid})) must belong to ${where}.`,
    );
  }
  const badTagged = bad.filter((r) => tagged.includes(r.id));
  if (badTagged.length) {
    const names = badTagged.map((r) => `${r.name} (${r.vid})`).join(', ');
    error('tagged_vlans', `Tagged VLANs ${names} must belong to ${where}.`);
  }
}

/** 802.1Q rules on device interfaces (see checkInterfaceVlans). */
export const interfaceVlanValidator: CustomValidator = {
  model: 'dcim.interface',
  async validate(ctx) {
    if (!['mode', 'untagged_vlan', 'tagged_vlans', 'device'].some((f) => ctx.changed(f))) return;
    await checkInterfaceVlans(
      ctx.tx,
      {
        mode: String(ctx.object.mode ?? ''),
        untagged: ctx.object.untagged_vlan as string | null,
        tagged: (ctx.object.tagged_vlans as string[] | undefined) ?? [],
        location: sql`SELECT _d."location_id" FROM ${tables.device} _d WHERE _d."id" = ${ctx.object.device}::uuid`,
        parent: 'device',
      },
      (field, message) => ctx.error(field, message),
    );
  },
};

/**
 * An interface in a VRF carries addresses of the VRF's namespace (Plinth's rule: Nautobot checks
 * the VRF against VRF-device assignments, which Plinth does not model).
 */
export const interfaceVrfValidator: CustomValidator = {
  model: 'dcim.interface',
  async validate(ctx) {
    const vrf = ctx.object.vrf;
    if (!vrf || ctx.action === 'create' || !ctx.changed('vrf')) return;
    const rows = await ctx.tx.query<{
      address: string;
      vrf: string;
      namespace: string;
    }>(sql`SELECT a."address"::text AS address, v."name" AS vrf, n."name" AS namespace
            FROM "ipam_ipaddresstointerface" _m JOIN ${tables.ipAddress} a ON a."id" = _m."ip_address_id"
            JOIN ${tables.vrf} v ON v."id" = ${vrf}::uuid JOIN ${tables.namespace} n ON n."id" = v."namespace_id"
           WHERE _m."interface_id" = ${ctx.object.id}::uuid AND a."namespace_id" <> v."namespace_id"
           ORDER BY a."_host"`);
    if (rows.length) {
      ctx.error(
        'vrf',
        `VRF ${rows[0].vrf} is in namespace ${rows[0].namespace}, but this interface has addresses of other namespaces: ${rows.map((r) => r.address).join(', ')}.`,
      );
    }
  },
};

export const DCIM_VALIDATORS = [devicePrimaryIpValidator, interfaceVlanValidator, interfaceVrfValidator];
