import { Injectable, type Type } from '@nestjs/common';
import {
  InjectSql,
  html,
  sql,
  type ApiObject,
  type Html,
  type ListContext,
  type SqlRunner,
  type TableColumn,
  type UiContext,
} from '@plinth/plugin-sdk';
import { tables } from '../tables';

/**
 * How many objects sit at each location, its descendants included (as the `location` filter
 * selects them, so a count links to the matching list): one query for any number of locations.
 */
export async function countsBelowLocations(
  db: SqlRunner,
  model: string,
  column: string,
  locationIds: readonly string[],
): Promise<Map<string, number>> {
  if (locationIds.length === 0) return new Map();
  const rows = await db.query<{ id: string; n: number }>(sql`WITH RECURSIVE sub(root, id) AS (
      SELECT l."id", l."id" FROM ${tables.location} l WHERE l."id" = ANY(${[...locationIds]}::uuid[])
      UNION ALL SELECT sub.root, c."id" FROM ${tables.location} c JOIN sub ON c."parent_id" = sub.id
    ) SELECT sub.root::text AS id, count(x."id")::int AS n
        FROM sub JOIN ${sql.table(model)} x ON x.${sql.ident(column)} = sub.id GROUP BY sub.root`);
  return new Map(rows.map((r) => [r.id, Number(r.n)]));
}

export interface LocationCountSpec {
  /** Column key: `device_count`. */
  name: string;
  label: string;
  /** The counted model (its list is linked, filtered by the location). */
  model: string;
  /** Its foreign key column to the location. */
  column: string;
}

/** A count, linked to the list of the counted objects at that location. */
export function countLink(ctx: UiContext, model: string, locationId: string, n: number): Html {
  const list = ctx.url(model);
  return list ? html`<a href="${list}?location=${locationId}">${n}</a>` : html`${n}`;
}

/**
 * A column of the locations list counting objects of one model at each location and below (one
 * query per page). Plugins add their own: dcim counts racks and devices, ipam prefixes.
 */
export function locationCountColumn(spec: LocationCountSpec): Type<TableColumn> {
  @Injectable()
  class LocationCountColumn implements TableColumn {
    readonly model = 'dcim.location';
    readonly name = spec.name;
    readonly label = spec.label;
    readonly default = true;

    constructor(@InjectSql() private readonly db: SqlRunner) {}

    async render(objects: readonly ApiObject[], ctx: ListContext): Promise<Map<string, Html>> {
      const ids = objects.map((o) => String(o.id));
      const counts = await countsBelowLocations(this.db, spec.model, spec.column, ids);
      return new Map(ids.map((id) => [id, countLink(ctx, spec.model, id, counts.get(id) ?? 0)]));
    }
  }
  Object.defineProperty(LocationCountColumn, 'name', { value: `LocationCountColumn_${spec.name}` });
  return LocationCountColumn;
}
