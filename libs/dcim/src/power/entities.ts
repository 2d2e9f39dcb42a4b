import { Entity, Unique } from 'typeorm';
import { Field, PrimaryModel, StatusField, type StatusRecord as Status } from '@plinth/plugin-sdk';
import { Cable } from '../entities/devices';
import { Location, Rack, RackGroup } from '../entities/locations';
import { POWER_FEED_DEFAULTS, POWER_FEED_PHASES, POWER_FEED_SUPPLIES, POWER_FEED_TYPES } from './choices';

/** A power panel at a location (Nautobot's `dcim.PowerPanel`), feeding racks through power feeds. */
@Entity('dcim_powerpanel')
@Unique(['location_id', 'name'])
export class PowerPanel extends PrimaryModel {
  @Field.fk(() => Location, { on_delete: 'PROTECT', related_name: 'power_panels' })
  location!: Location;

  @Field.fk(() => RackGroup, { nullable: true, on_delete: 'PROTECT', related_name: 'power_panels' })
  rack_group!: RackGroup | null;

  @Field.char({ max_length: 100, search: true })
  name!: string;
}

/**
 * A circuit from a power panel to a rack (Nautobot's `dcim.PowerFeed`): a cable termination that
 * is cabled to a device's power port, and the end of that port's path.
 */
@Entity('dcim_powerfeed')
@Unique(['power_panel_id', 'name'])
export class PowerFeed extends PrimaryModel {
  @Field.fk(() => PowerPanel, { on_delete: 'PROTECT', related_name: 'power_feeds' })
  power_panel!: PowerPanel;

  @Field.fk(() => Rack, { nullable: true, on_delete: 'PROTECT', related_name: 'power_feeds' })
  rack!: Rack | null;

  @Field.char({ max_length: 100, search: true })
  name!: string;

  @StatusField()
  status!: Status;

  @Field.choice(POWER_FEED_TYPES, { default: 'primary' })
  type!: string;

  @Field.choice(POWER_FEED_SUPPLIES, { default: 'ac' })
  supply!: string;

  @Field.choice(POWER_FEED_PHASES, { default: 'single-phase' })
  phase!: string;

  @Field.int({
    default: POWER_FEED_DEFAULTS.voltage,
    min_value: -32768,
    max_value: 32767,
    validate: (v) => (v === 0 ? 'Ensure this value does not equal 0.' : undefined),
  })
  voltage!: number;

  @Field.int({ default: POWER_FEED_DEFAULTS.amperage, min_value: 1, max_value: 32767 })
  amperage!: number;

  @Field.int({
    default: POWER_FEED_DEFAULTS.max_utilization,
    min_value: 1,
    max_value: 100,
    help_text: 'Maximum permissible draw (percentage)',
  })
  max_utilization!: number;

  @Field.int({
    default: 0,
    read_only: true,
    help_text: 'Volts × amperes × maximum utilization (× √3 for three-phase), in VA',
  })
  available_power!: number;

  @Field.text({ blank: true, search: true })
  comments!: string;

  @Field.fk(() => Cable, { nullable: true, on_delete: 'SET_NULL', read_only: true })
  cable!: Cable | null;
}
