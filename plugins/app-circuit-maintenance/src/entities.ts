import { Entity, Unique } from 'typeorm';
import {
  CoreModels,
  Field,
  OrganizationalModel,
  PrimaryModel,
  type CircuitRecord,
  type ProviderRecord,
} from '@plinth/plugin-sdk';
import { IMPACTS, MAINTENANCE_STATUSES } from './choices';

/** A provider's maintenance window (Nautobot's CircuitMaintenance). */
@Entity('circuit_maintenance_circuitmaintenance')
export class CircuitMaintenance extends PrimaryModel {
  @Field.char({
    max_length: 100,
    unique: true,
    search: true,
    label: 'Maintenance ID',
    help_text: "The provider's maintenance id (X-MAINTNOTE-MAINTENANCE-ID)",
  })
  name!: string;

  @Field.fk(CoreModels.provider, {
    nullable: true,
    on_delete: 'SET_NULL',
    related_name: 'circuit_maintenances',
  })
  provider!: ProviderRecord | null;

  @Field.datetime()
  start_time!: Date;

  @Field.datetime()
  end_time!: Date;

  @Field.text({ blank: true, search: true })
  description!: string;

  @Field.choice(MAINTENANCE_STATUSES, { default: 'TENTATIVE' })
  status!: string;

  @Field.bool({ default: false, label: 'Acknowledged' })
  ack!: boolean;

  @Field.int({
    default: 0,
    min_value: 0,
    help_text: 'iCalendar SEQUENCE of the last notification applied: older re-sent notifications are ignored',
  })
  sequence!: number;
}

/** A circuit affected by a maintenance, once per maintenance (Nautobot's CircuitImpact). */
@Entity('circuit_maintenance_circuitimpact')
@Unique(['maintenance_id', 'circuit_id'])
export class CircuitImpact extends OrganizationalModel {
  @Field.fk(() => CircuitMaintenance, { on_delete: 'CASCADE', related_name: 'circuit_impacts' })
  maintenance!: CircuitMaintenance;

  @Field.fk(CoreModels.circuit, { on_delete: 'CASCADE', related_name: 'maintenance_impacts' })
  circuit!: CircuitRecord;

  @Field.choice(IMPACTS, { default: 'OUTAGE' })
  impact!: string;
}

/** A maintenance notification as received (an e-mail or an iCalendar file), parsed or not. */
@Entity('circuit_maintenance_rawnotification')
export class RawNotification extends OrganizationalModel {
  @Field.char({ max_length: 200, search: true })
  subject!: string;

  @Field.char({ max_length: 200, blank: true, search: true })
  sender!: string;

  @Field.char({
    max_length: 200,
    blank: true,
    search: true,
    help_text: 'File name or source of the notification',
  })
  source!: string;

  @Field.fk(CoreModels.provider, {
    nullable: true,
    on_delete: 'SET_NULL',
    related_name: 'raw_maintenance_notifications',
  })
  provider!: ProviderRecord | null;

  @Field.datetime({ label: 'Received' })
  date!: Date;

  @Field.text({ label: 'Raw content' })
  raw!: string;

  @Field.bool({ default: false })
  parsed!: boolean;

  @Field.text({
    blank: true,
    label: 'Reason',
    help_text: 'Why the notification could not be parsed or applied',
  })
  parse_error!: string;
}

/** What a raw notification said, linked to the maintenance it created or updated. */
@Entity('circuit_maintenance_parsednotification')
export class ParsedNotification extends OrganizationalModel {
  @Field.fk(() => CircuitMaintenance, { on_delete: 'CASCADE', related_name: 'parsed_notifications' })
  maintenance!: CircuitMaintenance;

  @Field.fk(() => RawNotification, { on_delete: 'CASCADE', related_name: 'parsed_notifications' })
  raw_notification!: RawNotification;

  @Field.json({ help_text: 'The parsed maintenance' })
  json!: Record<string, unknown>;

  @Field.datetime()
  date!: Date;
}
