import {
  CoreModels,
  ORGANIZATIONAL_FEATURES,
  PRIMARY_FEATURES,
  defineModel,
  sql,
  type ModelRule,
} from '@plinth/plugin-sdk';
import { CircuitImpact, CircuitMaintenance, ParsedNotification, RawNotification } from './entities';
import { overlapsComputedField } from './overlaps/overlaps';

/** Nautobot's clean(): a maintenance ends after it starts. */
const endsAfterStart: ModelRule<CircuitMaintenance> = (ctx) => {
  const { start_time, end_time } = ctx.record;
  if (start_time && end_time && new Date(end_time).getTime() <= new Date(start_time).getTime())
    ctx.error('end_time', 'End time must be after the start time.');
};

export const maintenanceModel = defineModel({
  entity: CircuitMaintenance,
  model: 'circuitmaintenance',
  verbose_name: 'circuit maintenance',
  api_path: 'maintenance',
  features: PRIMARY_FEATURES,
  description: 'Provider maintenance windows and the circuits they affect.',
  ordering: ['start_time', 'name'],
  list_fields: ['name', 'provider', 'start_time', 'end_time', 'status', 'ack'],
  rules: [endsAfterStart],
  computed: [overlapsComputedField],
  filters: {
    circuit: {
      label: 'Circuit',
      type: 'string',
      help_text: 'Maintenances affecting this circuit (id)',
      apply: (values, ctx) =>
        sql`${ctx.alias}.id IN (SELECT i.maintenance_id FROM ${sql.table('circuit_maintenance.circuitimpact')} i WHERE i.circuit_id IN (${ctx.idsOf('circuits.circuit', values)}))`,
    },
  },
});

export const impactModel = defineModel({
  entity: CircuitImpact,
  model: 'circuitimpact',
  verbose_name: 'circuit impact',
  api_path: 'circuitimpact',
  features: ORGANIZATIONAL_FEATURES,
  description: 'How a maintenance affects one circuit.',
  related_object: 'maintenance',
  ordering: ['maintenance', 'impact'],
  list_fields: ['maintenance', 'circuit', 'impact'],
  display: {
    sql: (t) =>
      sql`(SELECT c.cid FROM ${sql.table(CoreModels.circuit)} c WHERE c.id = ${t}.circuit_id) || ' (' || ${t}.impact || ')'`,
  },
});

export const rawNotificationModel = defineModel({
  entity: RawNotification,
  model: 'rawnotification',
  verbose_name: 'raw notification',
  api_path: 'rawnotification',
  features: ORGANIZATIONAL_FEATURES,
  description: 'Maintenance notifications as received, parsed or kept with the reason they could not be.',
  display: 'subject',
  ordering: ['-date'],
  list_fields: ['subject', 'sender', 'source', 'provider', 'date', 'parsed', 'parse_error'],
});

export const parsedNotificationModel = defineModel({
  entity: ParsedNotification,
  model: 'parsednotification',
  verbose_name: 'parsed notification',
  api_path: 'parsednotification',
  features: ORGANIZATIONAL_FEATURES,
  description: 'A raw notification linked to the maintenance it created or updated.',
  related_object: 'maintenance',
  ordering: ['-date'],
  list_fields: ['raw_notification', 'maintenance', 'date'],
  display: {
    sql: (t) =>
      sql`'Parsed notification for ' || (SELECT r.subject FROM ${sql.table('circuit_maintenance.rawnotification')} r WHERE r.id = ${t}.raw_notification_id)`,
  },
});
