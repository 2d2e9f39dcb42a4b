import {
  sql,
  type CustomValidator,
  type CustomValidatorContext,
  type Sql,
  type SqlRunner,
} from '@plinth/plugin-sdk';
import { tables } from './tables';

/*
 * ipam's rules about the ipam references dcim's models hold (dcim cannot depend on ipam, so
 * they arrive as custom validators, the way any plugin validates another plugin's model).
 */

/**
 * A device's primary IPv4/IPv6 is an address of that family assigned to one of its interfaces,
 * or to an interface of a member of its virtual chassis (or the NAT outside address of one).
 * One query for every device of a write.
 */
export const devicePrimaryIpValidator: CustomValidator = {
  model: 'dcim.device',
  async validateMany(ctxs) {
    const checks: { ctx: CustomValidatorContext; field: 'primary_ip4' | 'primary_ip6'; version: number }[] =
      [];
    for (const ctx of ctxs) {
      for (const [field, version] of [
        ['primary_ip4', 4],
        ['primary_ip6', 6],
      ] as const) {
        if (ctx.object[field] && (ctx.changed(field) || ctx.changed('virtual_chassis')))
          checks.push({ ctx, field, version });
      }
    }
    if (checks.length === 0) return;
    const rows = await checks[0].ctx.tx.query<{
      n: number;
      address: string;
      version: number;
      assigned: boolean;
    }>(
      sql`SELECT x.n, a."address"::text AS address, family(a."address") AS version,
              EXISTS (SELECT 1 FROM "ipam_ipaddresstointerface" _m JOIN ${tables.interface} _i ON _i."id" = _m."interface_id"
                       WHERE _m."ip_address_id" IN (a."id", a."nat_inside_id")
                         AND (_i."device_id" = x.device OR _i."device_id" IN (
                              SELECT _d."id" FROM ${tables.device} _d WHERE _d."virtual_chassis_id" = x.chassis))) AS assigned
            FROM unnest(${checks.map((_, i) => i)}::int[], ${checks.map((c) => c.ctx.object.id)}::uuid[],
                        ${checks.map((c) => c.ctx.object.virtual_chassis ?? null)}::uuid[],
                        ${checks.map((c) => c.ctx.object[c.field])}::uuid[]) AS x(n, device, chassis, ip)
            JOIN ${tables.ipAddress} a ON a."id" = x.ip`,
    );
    for (const row of rows) {
      const { ctx, field, version } = checks[row.n];
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
  /** The interface's parent (device, virtual machine). */
  parent: string | null;
  error(field: string, message: string): void;
}

/** The kind of object interfaces belong to, for checkInterfaceVlans. */
export interface InterfaceParent {
  /** For messages: `device`, `virtual machine`. */
  noun: string;
  /** A query of the parents' (`id`, `location_id`), given a uuid[] parameter of their ids. */
  locations(ids: Sql): Sql;
}

/**
 * 802.1Q on interfaces (device and virtual machine interfaces alike): an untagged VLAN needs a
 * mode; a tagged list needs mode `tagged` (`tagged-all` carries every VLAN, so it has no list);
 * every VLAN is global or belongs to the parent's location or one of its parents. One query for
 * every interface of a write.
 */
export async function checkInterfaceVlans(
  db: SqlRunner,
  parent: InterfaceParent,
  interfaces: readonly InterfaceVlans[],
): Promise<void> {
  const pairs: { n: number; vlan: string }[] = [];
  interfaces.forEach(({ mode, untagged, tagged, error }, n) => {
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
    for (const vlan of new Set([...(untagged ? [untagged] : []), ...tagged])) pairs.push({ n, vlan });
  });
  if (pairs.length === 0) return;
  const parents = [...new Set(interfaces.map((i) => i.parent).filter((p): p is string => !!p))];
  const rows = await db.query<{ n: number; id: string; name: string; vid: number; ok: boolean }>(
    sql`WITH RECURSIVE _p AS (${parent.locations(sql`${parents}::uuid[]`)}),
          _up(base, id, parent_id) AS (
            SELECT l."id", l."id", l."parent_id" FROM ${tables.location} l WHERE l."id" IN (SELECT "location_id" FROM _p)
            UNION SELECT _up.base, l."id", l."parent_id" FROM ${tables.location} l JOIN _up ON l."id" = _up.parent_id)
        SELECT x.n, v."id", v."name", v."vid",
               (v."location_id" IS NULL OR EXISTS (SELECT 1 FROM _p JOIN _up ON _up.base = _p."location_id"
                                                    WHERE _p."id" = x.parent AND _up.id = v."location_id")) AS ok
          FROM unnest(${pairs.map((p) => p.n)}::int[], ${pairs.map((p) => interfaces[p.n].parent)}::uuid[],
                      ${pairs.map((p) => p.vlan)}::uuid[]) AS x(n, parent, vlan)
          JOIN ${tables.vlan} v ON v."id" = x.vlan
         ORDER BY x.n, v."vid"`,
  );
  const where = `the same location as the interface's ${parent.noun}, one of that location's parents, or be global`;
  const badOf = new Map<number, typeof rows>();
  for (const r of rows) if (!r.ok) badOf.set(r.n, [...(badOf.get(r.n) ?? []), r]);
  for (const [n, bad] of badOf) {
    const { untagged, tagged, error } = interfaces[n];
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
}

const deviceParent: InterfaceParent = {
  noun: 'device',
  locations: (ids) => sql`SELECT "id", "location_id" FROM ${tables.device} WHERE "id" = ANY(${ids})`,
};

/** 802.1Q rules on device interfaces (see checkInterfaceVlans). */
export const interfaceVlanValidator: CustomValidator = {
  model: 'dcim.interface',
  async validateMany(ctxs) {
    const checked = ctxs.filter((ctx) =>
      ['mode', 'untagged_vlan', 'tagged_vlans', 'device'].some((f) => ctx.changed(f)),
    );
    if (checked.length === 0) return;
    await checkInterfaceVlans(
      checked[0].tx,
      deviceParent,
      checked.map((ctx) => ({
        mode: String(ctx.object.mode ?? ''),
        untagged: (ctx.object.untagged_vlan as string | null) ?? null,
        tagged: (ctx.object.tagged_vlans as string[] | undefined) ?? [],
        parent: (ctx.object.device as string | null) ?? null,
        error: (field, message) => ctx.error(field, message),
      })),
    );
  },
};

/**
 * An interface in a VRF carries addresses of the VRF's namespace (Plinth's rule: Nautobot checks
 * the VRF against VRF-device assignments, which Plinth does not model).
 */
export const interfaceVrfValidator: CustomValidator = {
  model: 'dcim.interface',
  async validateMany(ctxs) {
    const checked = ctxs.filter((ctx) => ctx.object.vrf && ctx.action === 'update' && ctx.changed('vrf'));
    if (checked.length === 0) return;
    const rows = await checked[0].tx.query<{ n: number; address: string; vrf: string; namespace: string }>(
      sql`SELECT x.n, a."address"::text AS address, v."name" AS vrf, n."name" AS namespace
            FROM unnest(${checked.map((_, i) => i)}::int[], ${checked.map((c) => c.object.id)}::uuid[],
                        ${checked.map((c) => c.object.vrf)}::uuid[]) AS x(n, iface, vrf)
            JOIN "ipam_ipaddresstointerface" _m ON _m."interface_id" = x.iface
            JOIN ${tables.ipAddress} a ON a."id" = _m."ip_address_id"
            JOIN ${tables.vrf} v ON v."id" = x.vrf JOIN ${tables.namespace} n ON n."id" = v."namespace_id"
           WHERE a."namespace_id" <> v."namespace_id"
           ORDER BY x.n, a."_host"`,
    );
    const foreign = new Map<number, typeof rows>();
    for (const r of rows) foreign.set(r.n, [...(foreign.get(r.n) ?? []), r]);
    for (const [i, mine] of foreign) {
      checked[i].error(
        'vrf',
        `VRF ${mine[0].vrf} is in namespace ${mine[0].namespace}, but this interface has addresses of other namespaces: ${mine.map((r) => r.address).join(', ')}.`,
      );
    }
  },
};

export const DCIM_VALIDATORS = [devicePrimaryIpValidator, interfaceVlanValidator, interfaceVrfValidator];
