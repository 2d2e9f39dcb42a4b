import { Entity, Unique } from 'typeorm';
import { BaseModel, Field, OrganizationalModel, PrimaryModel } from '@plinth/plugin-sdk';
import {
  CONSOLE_PORT_TYPES,
  INTERFACE_TYPES,
  PORT_TYPES,
  POWER_OUTLET_TYPES,
  POWER_PORT_TYPES,
} from '../component-choices';
import { AIRFLOWS, FEED_LEGS, POE_MODES, POE_TYPES, SUBDEVICE_ROLES, WEIGHT_UNITS } from '../choices';
import { ModuleType } from '../modules/entities';

@Entity('dcim_manufacturer')
export class Manufacturer extends OrganizationalModel {
  @Field.char({ max_length: 100, unique: true, search: true })
  name!: string;

  @Field.char({ max_length: 200, blank: true, search: true })
  description!: string;
}

@Entity('dcim_devicetype')
@Unique(['manufacturer_id', 'model'])
export class DeviceType extends PrimaryModel {
  @Field.fk(() => Manufacturer, { on_delete: 'PROTECT', related_name: 'device_types' })
  manufacturer!: Manufacturer;

  @Field.char({ max_length: 100, search: true })
  model!: string;

  @Field.char({ max_length: 50, blank: true, search: true, help_text: 'Discrete part number (optional)' })
  part_number!: string;

  @Field.int({ default: 1, min_value: 0, max_value: 100, label: 'Height (U)' })
  u_height!: number;

  @Field.bool({ default: true, help_text: 'Device consumes both front and rear rack faces' })
  is_full_depth!: boolean;

  @Field.choice(SUBDEVICE_ROLES, {
    blank: true,
    help_text:
      'Parent devices house child devices in device bays. Leave blank if this device type is neither a parent nor a child.',
  })
  subdevice_role!: string;

  @Field.choice(AIRFLOWS, { blank: true })
  airflow!: string;

  @Field.decimal({ precision: 8, scale: 2, nullable: true, min_value: 0 })
  weight!: number | null;

  @Field.choice(WEIGHT_UNITS, { blank: true, label: 'Weight unit' })
  weight_unit!: string;

  @Field.char({ max_length: 200, blank: true, search: true })
  description!: string;

  @Field.text({ blank: true, search: true })
  comments!: string;
}

@Entity('dcim_platform')
export class Platform extends OrganizationalModel {
  @Field.char({ max_length: 100, unique: true, search: true })
  name!: string;

  @Field.fk(() => Manufacturer, {
    nullable: true,
    on_delete: 'PROTECT',
    related_name: 'platforms',
    help_text: 'Optionally limit this platform to devices of a certain manufacturer',
  })
  manufacturer!: Manufacturer | null;

  @Field.char({ max_length: 100, blank: true, help_text: 'Normalized network driver name (e.g. cisco_ios)' })
  network_driver!: string;

  @Field.char({ max_length: 50, blank: true, label: 'NAPALM driver' })
  napalm_driver!: string;

  @Field.json({ nullable: true, label: 'NAPALM arguments' })
  napalm_args!: Record<string, unknown> | null;

  @Field.char({ max_length: 200, blank: true, search: true })
  description!: string;
}

/**
 * Component templates of a device type or of a module type (exactly one, see the template rules).
 * Devices created from the type get one component per device-type template (see the device
 * hooks); a module installed in a module bay gets one per module-type template
 * (modules/instantiate.ts).
 */
export abstract class ComponentTemplateModel extends BaseModel {
  @Field.fk(() => DeviceType, { nullable: true, on_delete: 'CASCADE' })
  device_type!: DeviceType | null;

  @Field.fk(() => ModuleType, { nullable: true, on_delete: 'CASCADE' })
  module_type!: ModuleType | null;

  @Field.char({ max_length: 64, search: true })
  name!: string;

  @Field.char({ max_length: 64, blank: true, search: true, help_text: 'Physical label' })
  label!: string;

  @Field.char({ max_length: 200, blank: true })
  description!: string;
}

@Entity('dcim_consoleporttemplate')
@Unique(['device_type_id', 'name'])
@Unique(['module_type_id', 'name'])
export class ConsolePortTemplate extends ComponentTemplateModel {
  @Field.choice(CONSOLE_PORT_TYPES, { blank: true })
  type!: string;
}

@Entity('dcim_consoleserverporttemplate')
@Unique(['device_type_id', 'name'])
@Unique(['module_type_id', 'name'])
export class ConsoleServerPortTemplate extends ComponentTemplateModel {
  @Field.choice(CONSOLE_PORT_TYPES, { blank: true })
  type!: string;
}

@Entity('dcim_powerporttemplate')
@Unique(['device_type_id', 'name'])
@Unique(['module_type_id', 'name'])
export class PowerPortTemplate extends ComponentTemplateModel {
  @Field.choice(POWER_PORT_TYPES, { blank: true })
  type!: string;

  @Field.int({ nullable: true, min_value: 1, max_value: 32767, help_text: 'Maximum power draw (watts)' })
  maximum_draw!: number | null;

  @Field.int({ nullable: true, min_value: 1, max_value: 32767, help_text: 'Allocated power draw (watts)' })
  allocated_draw!: number | null;
}

@Entity('dcim_poweroutlettemplate')
@Unique(['device_type_id', 'name'])
@Unique(['module_type_id', 'name'])
export class PowerOutletTemplate extends ComponentTemplateModel {
  @Field.choice(POWER_OUTLET_TYPES, { blank: true })
  type!: string;

  @Field.fk(() => PowerPortTemplate, {
    nullable: true,
    on_delete: 'SET_NULL',
    related_name: 'power_outlet_templates',
  })
  power_port_template!: PowerPortTemplate | null;

  @Field.choice(FEED_LEGS, { blank: true, help_text: 'Phase (for three-phase feeds)' })
  feed_leg!: string;
}

@Entity('dcim_interfacetemplate')
@Unique(['device_type_id', 'name'])
@Unique(['module_type_id', 'name'])
export class InterfaceTemplate extends ComponentTemplateModel {
  @Field.choice(INTERFACE_TYPES)
  type!: string;

  @Field.bool({ default: false, label: 'Management only' })
  mgmt_only!: boolean;

  @Field.choice(POE_MODES, { blank: true, label: 'PoE mode' })
  poe_mode!: string;

  @Field.choice(POE_TYPES, { blank: true, label: 'PoE type' })
  poe_type!: string;
}

@Entity('dcim_rearporttemplate')
@Unique(['device_type_id', 'name'])
@Unique(['module_type_id', 'name'])
export class RearPortTemplate extends ComponentTemplateModel {
  @Field.choice(PORT_TYPES)
  type!: string;

  @Field.int({ default: 1, min_value: 1, max_value: 1024 })
  positions!: number;
}

@Entity('dcim_frontporttemplate')
@Unique(['device_type_id', 'name'])
@Unique(['module_type_id', 'name'])
@Unique(['rear_port_template_id', 'rear_port_position'])
export class FrontPortTemplate extends ComponentTemplateModel {
  @Field.choice(PORT_TYPES)
  type!: string;

  @Field.fk(() => RearPortTemplate, { on_delete: 'CASCADE', related_name: 'front_port_templates' })
  rear_port_template!: RearPortTemplate;

  @Field.int({ default: 1, min_value: 1, max_value: 1024 })
  rear_port_position!: number;
}

/** Device bays belong to device types only (a module holds no child devices), hence no module_type. */
@Entity('dcim_devicebaytemplate')
@Unique(['device_type_id', 'name'])
export class DeviceBayTemplate extends BaseModel {
  @Field.fk(() => DeviceType, { on_delete: 'CASCADE' })
  device_type!: DeviceType;

  @Field.char({ max_length: 64, search: true })
  name!: string;

  @Field.char({ max_length: 64, blank: true, search: true, help_text: 'Physical label' })
  label!: string;

  @Field.char({ max_length: 200, blank: true })
  description!: string;
}
