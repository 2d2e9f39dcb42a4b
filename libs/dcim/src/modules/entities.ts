import { Column, Entity, Unique } from 'typeorm';
import {
  BaseModel,
  Field,
  PrimaryModel,
  RoleField,
  StatusField,
  type RoleRecord as Role,
  type StatusRecord as Status,
} from '@plinth/plugin-sdk';
import { Tenant } from '@plinth/tenancy';
import { DeviceType, Manufacturer } from '../entities/device-types';
import { Device } from '../entities/devices';
import { Location } from '../entities/locations';

/*
 * Modules (Nautobot 2.3): a module type is the make and model of a field-replaceable part (line
 * card, supervisor, transceiver) with component templates of its own; a module bay is a slot of a
 * device or of a module; a module of a type sits in one bay (or, not installed, at a location).
 * References to these classes from the device-type and device entities are lazy (`() => Module`),
 * which is what lets the two files import each other.
 */

@Entity('dcim_moduletype')
@Unique(['manufacturer_id', 'model'])
export class ModuleType extends PrimaryModel {
  @Field.fk(() => Manufacturer, { on_delete: 'PROTECT', related_name: 'module_types' })
  manufacturer!: Manufacturer;

  @Field.char({ max_length: 255, search: true })
  model!: string;

  @Field.char({ max_length: 255, blank: true, search: true, help_text: 'Discrete part number (optional)' })
  part_number!: string;

  @Field.text({ blank: true, search: true })
  comments!: string;
}

/** A module bay a device type's devices or a module type's modules get (exactly one of the two types). */
@Entity('dcim_modulebaytemplate')
@Unique(['device_type_id', 'name'])
@Unique(['module_type_id', 'name'])
export class ModuleBayTemplate extends BaseModel {
  @Field.fk(() => DeviceType, { nullable: true, on_delete: 'CASCADE', related_name: 'module_bay_templates' })
  device_type!: DeviceType | null;

  @Field.fk(() => ModuleType, { nullable: true, on_delete: 'CASCADE', related_name: 'module_bay_templates' })
  module_type!: ModuleType | null;

  @Field.char({ max_length: 255, search: true })
  name!: string;

  @Field.char({
    max_length: 255,
    blank: true,
    help_text:
      'The position of the module bay within the parent; substituted for {module} in the names of installed modules’ components',
  })
  position!: string;

  @Field.char({ max_length: 255, blank: true, search: true, help_text: 'Physical label' })
  label!: string;

  @Field.char({ max_length: 255, blank: true })
  description!: string;
}

/** A slot of a device or of a module (exactly one of the two parents) holding at most one module. */
@Entity('dcim_modulebay')
@Unique(['parent_device_id', 'name'])
@Unique(['parent_module_id', 'name'])
export class ModuleBay extends PrimaryModel {
  @Field.fk(() => Device, { nullable: true, on_delete: 'CASCADE', related_name: 'module_bays' })
  parent_device!: Device | null;

  @Field.fk(() => Module, { nullable: true, on_delete: 'CASCADE', related_name: 'module_bays' })
  parent_module!: Module | null;

  @Field.char({ max_length: 255, search: true })
  name!: string;

  /** Naturalised name: `Slot 2` sorts before `Slot 10`. */
  @Column({ type: 'varchar', length: 300, default: '' })
  _name!: string;

  @Field.char({
    max_length: 255,
    blank: true,
    help_text:
      'The position of the module bay within the parent; substituted for {module} in the names of the installed module’s components',
  })
  position!: string;

  @Field.char({ max_length: 255, blank: true, search: true, help_text: 'Physical label' })
  label!: string;

  @Field.char({ max_length: 255, blank: true, search: true })
  description!: string;
}

@Entity('dcim_module')
export class Module extends PrimaryModel {
  @Field.fk(() => ModuleType, { on_delete: 'PROTECT', related_name: 'modules' })
  module_type!: ModuleType;

  @Field.fk(() => ModuleBay, {
    nullable: true,
    unique: true,
    on_delete: 'CASCADE',
    related_name: 'installed_module',
    label: 'Parent module bay',
    help_text: 'The module bay the module is installed in (or leave empty and give a location)',
  })
  parent_module_bay!: ModuleBay | null;

  @StatusField()
  status!: Status;

  @RoleField()
  role!: Role | null;

  @Field.fk(() => Tenant, { nullable: true, on_delete: 'PROTECT' })
  tenant!: Tenant | null;

  @Field.fk(() => Location, {
    nullable: true,
    on_delete: 'PROTECT',
    help_text: 'Where a module not installed in a module bay is kept',
  })
  location!: Location | null;

  @Field.char({ max_length: 255, blank: true, search: true, label: 'Serial number' })
  serial!: string;

  @Field.char({
    max_length: 255,
    nullable: true,
    unique: true,
    search: true,
    help_text: 'A unique tag used to identify this module',
  })
  asset_tag!: string | null;

  @Field.text({ blank: true, search: true })
  comments!: string;
}
