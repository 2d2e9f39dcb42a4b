import { PRIMARY_FEATURES, defineModel, sql, treeFilter, type FilterDefinition } from '@plinth/plugin-sdk';
import { RackReservation } from './entities';
import { checkReservedUnits, prepareRackReservation, rackReservationRules } from './rules';
import { tables } from '../tables';

const rackReservationFilters: Record<string, FilterDefinition> = {
  location: treeFilter('Location of the rack (name or ID, including child locations)', 'rack.location'),
  rack_group: treeFilter('Rack group of the rack (name or ID, including child groups)', 'rack.rack_group'),
  tenant_group: treeFilter('Tenant group (name or ID, including child groups)', 'tenant.tenant_group'),
  q: {
    label: 'Search',
    apply: ([q], ctx) => {
      const like = sql.like(q);
      const t = ctx.alias;
      return sql`(${t}."description" ILIKE ${like}
        OR ${t}."rack_id" IN (SELECT id FROM ${tables.rack} WHERE name ILIKE ${like} OR facility_id ILIKE ${like})
        OR ${t}."user_id" IN (SELECT id FROM ${sql.table('users.user')} WHERE username ILIKE ${like}))`;
    },
  },
};

export const rackReservationModel = defineModel({
  entity: RackReservation,
  app_label: 'dcim',
  model: 'rackreservation',
  verbose_name: 'rack reservation',
  features: PRIMARY_FEATURES,
  natural_key: [],
  ordering: ['created'],
  display: {
    sql: (t) =>
      sql`'Reservation for rack ' || (SELECT r.name FROM ${tables.rack} r WHERE r.id = ${t}."rack_id")`,
  },
  rules: rackReservationRules,
  hooks: {
    prepare: prepareRackReservation,
    afterCreate: checkReservedUnits,
    afterUpdate: checkReservedUnits,
  },
  filters: rackReservationFilters,
  list_fields: ['rack', 'units', 'user', 'tenant', 'description'],
});
