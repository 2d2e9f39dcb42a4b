import {
  ValidationError,
  normalizeCidr,
  normalizeInet,
  sql,
  type FilterContext,
  type FilterDefinition,
  type Sql,
} from '@plinth/plugin-sdk';
import { hostInet } from '../ip';
import { tables } from '../tables';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function uuids(values: readonly string[]): string[] {
  return values.filter((v) => UUID.test(v));
}
export function nonUuids(values: readonly string[]): string[] {
  return values.filter((v) => !UUID.test(v));
}

/** A prefix filter value (`10.0.0.1/24` means the network 10.0.0.0/24), or a 400 naming the filter. */
export function cidrParam(filter: string, value: string): string {
  try {
    return normalizeCidr(value);
  } catch (e) {
    throw ValidationError.field(filter, (e as Error).message);
  }
}

/** An address filter value as a full-length host (`10.0.0.1/24` -> `10.0.0.1/32`). */
export function hostParam(filter: string, value: string): string {
  try {
    return hostInet(normalizeInet(value));
  } catch (e) {
    throw ValidationError.field(filter, (e as Error).message);
  }
}

/** A network or a single address (a host is its own /32 or /128). */
export function netOrHostParam(filter: string, value: string): string {
  return value.includes('/') ? cidrParam(filter, value) : hostParam(filter, value);
}

/** The value as a network when it reads as one (free-text search), else null. */
export function maybeNet(value: string): string | null {
  try {
    return value.includes('/') ? normalizeCidr(value) : hostInet(normalizeInet(value));
  } catch {
    return null;
  }
}

/** A filter whose values are OR-ed conditions built one by one. */
export function anyOf(
  build: (value: string, ctx: FilterContext) => Sql,
  def: Partial<FilterDefinition> = {},
) {
  return {
    ...def,
    apply: (values: string[], ctx: FilterContext) => sql.or(values.map((v) => build(v, ctx))),
  } satisfies FilterDefinition;
}

/**
 * A number derived in SQL (mask length, IP version) with the usual lookups: `name`, `name__n`,
 * `name__gt`, `__gte`, `__lt`, `__lte`.
 */
export function numberFilters(
  name: string,
  expr: (alias: Sql) => Sql,
  help_text: string,
): Record<string, FilterDefinition> {
  const ops = { '': '=', __gt: '>', __gte: '>=', __lt: '<', __lte: '<=' } as const;
  const out: Record<string, FilterDefinition> = {};
  for (const [suffix, op] of Object.entries(ops)) {
    out[`${name}${suffix}`] = {
      type: 'integer',
      help_text,
      negatable: suffix === '',
      apply: (values, ctx) =>
        sql.or(values.map((v) => sql`${expr(ctx.alias)} ${sql.raw(op)} ${Number(v)}::int`)),
    };
  }
  return out;
}

export function versionFilter(column: string): Record<string, FilterDefinition> {
  return {
    ip_version: {
      type: 'integer',
      help_text: 'IP version: 4 or 6',
      apply: (values, ctx) =>
        sql`family(${ctx.alias}.${sql.ident(column)}) = ANY(${values.map(Number)}::int[])`,
    },
  };
}

/** Ids of VRFs given by id, name or route distinguisher. */
export function vrfIds(values: readonly string[]): Sql {
  const ids = uuids(values);
  const keys = nonUuids(values);
  return sql`SELECT _v."id" FROM ${tables.vrf} _v WHERE ${sql.or([
    ...(ids.length ? [sql`_v."id" = ANY(${ids}::uuid[])`] : []),
    ...(keys.length ? [sql`_v."name" = ANY(${keys}::text[]) OR _v."rd" = ANY(${keys}::text[])`] : []),
  ])}`;
}

/**
 * Ids of the VRFs whose prefixes are present in the given VRFs: the VRFs themselves and the VRFs
 * exporting a route target they import (Nautobot's `present_in_vrf`).
 */
export function vrfsPresentIn(values: readonly string[]): Sql {
  const target = vrfIds(values);
  return sql`${target} UNION SELECT _e."vrf_id" FROM "ipam_vrf_export_targets" _e
    WHERE _e."routetarget_id" IN (SELECT _i."routetarget_id" FROM "ipam_vrf_import_targets" _i WHERE _i."vrf_id" IN (${target}))`;
}
