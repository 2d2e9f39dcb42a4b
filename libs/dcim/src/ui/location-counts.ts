import { Inject, Injectable, type Type } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  html,
  sql,
  type ApiObject,
  type Html,
  type ListContext,
  type TableColumn,
  type UiContext,
} from '@plinth/plugin-sdk';

/**
 * How many objects sit at each location, its descendants included (as the `location` filter
 * selects them, so a count links to the matching list): one query for any number of locations.
 */
export async function countsBelowLocations(
  manager: EntityManager,
  table: string,
  column: string,
  locationIds: readonly string[],
): Promise<Map<string, number>> {
  if (locationIds.length === 0) return new Map();
  const { text, values } = sql`WITH RECURSIVE sub(root, id) AS (
      SELECT l."id", l."id" FROM "dcim_location" l WHERE l."id" = ANY(${[...locationIds]}::uuid[])
      UNION ALL SELECT sub.root, c."id" FROM "dcim_location" c JOIN sub ON c."parent_id" = sub.id
    ) SELECT sub.root::text AS id, count(x."id")::int AS n
        FROM sub JOIN ${sql.ident(table)} x ON x.${sql.ident(column)} = sub.id GROUP BY sub.root`.toQuery();
  const rows = (await manager.query(text, values)) as { id: string; n: number }[];
  return new Map(rows.map((r) => [r.id, Number(r.n)]));
}

export interface LocationCountSpec {
  /** Column key: `device_count`. */
  name: string;
  label: string;
  /** The counted model (its list is linked, filtered by the location). */
  model: string;
  table: string;
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

    constructor(@Inject(DataSource) private readonly ds: DataSource) {}

    async render(objects: readonly ApiObject[], ctx: ListContext): Promise<Map<string, Html>> {
      const ids = objects.map((o) => String(o.id));
      const counts = await countsBelowLocations(this.ds.manager, spec.table, spec.column, ids);
      return new Map(ids.map((id) => [id, countLink(ctx, spec.model, id, counts.get(id) ?? 0)]));
    }
  }
  Object.defineProperty(LocationCountColumn, 'name', { value: `LocationCountColumn_${spec.name}` });
  return LocationCountColumn;
}
