import { Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';
import { Field, PrimaryModel } from '@plinth/plugin-sdk';
import {
  CoreModels,
  RoleField,
  StatusField,
  type IpAddressRecord,
  type RoleRecord as Role,
  type StatusRecord as Status,
} from '@plinth/plugin-sdk';
import { Tenant } from '@plinth/tenancy';
import { CABLE_TERMINATION_TYPES } from '../cables/terminations';
import {
  CABLE_LENGTH_UNITS,
  CABLE_TYPES,
  DEVICE_FACES,
  FEED_LEGS,
  INTERFACE_MODES,
  POE_MODES,
  POE_TYPES,
} from '../choices';
import {
  CONSOLE_PORT_TYPES,
  INTERFACE_TYPES,
  PORT_TYPES,
  POWER_OUTLET_TYPES,
  POWER_PORT_TYPES,
} from '../component-choices';
import { DeviceType, Platform } from './device-types';
import { Location, Rack } from './locations';
import { Module } from '../modules/entities';
import { SoftwareImageFilesField, SoftwareVersionField } from '../software/assignment';
import type { SoftwareVersion } from '../software/entities';

@Entity('dcim_virtualchassis')
export class VirtualChassis extends PrimaryModel {
  @Field.char({ max_length: 64, unique: true, search: true })
  name!: string;

  @Field.char({ max_length: 30, blank: true, search: true })
  domain!: string;

  @Field.fk(() => Device, { nullable: true, on_delete: 'SET_NULL', related_name: 'vc_master_for' })
  master!: Device | null;
}

@Entity('dcim_device')
@Index(['location_id', '_name'])
@Unique(['virtual_chassis_id', 'vc_position'])
export class Device extends PrimaryModel {
  @Field.fk(() => DeviceType, { on_delete: 'PROTECT' })
  device_type!: DeviceType;

  @RoleField({ nullable: false })
  role!: Role;

  @Field.fk(() => Tenant, { nullable: true, on_delete: 'PROTECT' })
  tenant!: Tenant | null;

  @Field.fk(() => Platform, { nullable: true, on_delete: 'SET_NULL' })
  platform!: Platform | null;

  @Field.char({ max_length: 64, nullable: true, search: true })
  name!: string | null;

  /** Naturalised name for human ordering (`edge2` before `edge10`). */
  @Index()
  @Column({ type: 'varchar', length: 200, nullable: true })
  _name!: string | null;

  @Field.char({ max_length: 255, blank: true, search: true, label: 'Serial number' })
  serial!: string;

  @Field.char({
    max_length: 100,
    nullable: true,
    unique: true,
    search: true,
    help_text: 'A unique tag used to identify this device',
  })
  asset_tag!: string | null;

  @Field.fk(() => Location, { on_delete: 'PROTECT' })
  location!: Location;

  @Field.fk(() => Rack, { nullable: true, on_delete: 'PROTECT' })
  rack!: Rack | null;

  @Field.int({
    nullable: true,
    min_value: 1,
    max_value: 100,
    label: 'Position (U)',
    help_text: 'The lowest-numbered unit occupied by the device',
  })
  position!: number | null;

  @Field.choice(DEVICE_FACES, { blank: true, label: 'Rack face' })
  face!: string;

  @StatusField()
  status!: Status;

  @Field.fk(CoreModels.ipAddress, {
    nullable: true,
    on_delete: 'SET_NULL',
    related_name: 'primary_ip4_for',
    label: 'Primary IPv4',
  })
  primary_ip4!: IpAddressRecord | null;

  @Field.fk(CoreModels.ipAddress, {
    nullable: true,
    on_delete: 'SET_NULL',
    related_name: 'primary_ip6_for',
    label: 'Primary IPv6',
  })
  primary_ip6!: IpAddressRecord | null;

  /**
   * The virtualization cluster the device hosts (Nautobot's `Device.cluster`). A label target:
   * virtualization depends on dcim, so its migration adds the constraint and its custom
   * validator checks the cluster's location.
   */
  @Field.fk('virtualization.cluster', { nullable: true, on_delete: 'SET_NULL', related_name: 'devices' })
  cluster!: unknown;

  @Field.fk(() => VirtualChassis, { nullable: true, on_delete: 'SET_NULL', related_name: 'members' })
  virtual_chassis!: VirtualChassis | null;

  @Field.int({ nullable: true, min_value: 0, max_value: 255 })
  vc_position!: number | null;

  @Field.int({
    nullable: true,
    min_value: 0,
    max_value: 255,
    help_text: 'Virtual chassis master election priority',
  })
  vc_priority!: number | null;

  @Field.fk('dcim.deviceredundancygroup', {
    nullable: true,
    on_delete: 'SET_NULL',
    related_name: 'devices',
    help_text: 'The redundancy group (cluster, HA pair) the device is a member of.',
  })
  device_redundancy_group!: unknown;

  @Field.int({
    nullable: true,
    min_value: 1,
    max_value: 32767,
    label: 'Device redundancy group priority',
    help_text: 'The priority the device has in the device redundancy group.',
  })
  device_redundancy_group_priority!: number | null;

  @Field.json({
    nullable: true,
    help_text: 'Local config context data (overrides context assigned by rules)',
  })
  local_config_context_data!: Record<string, unknown> | null;

  @Field.fk('extras.configcontextschema', {
    nullable: true,
    on_delete: 'PROTECT',
    related_name: 'devices',
    help_text: 'Optional schema the local config context data must validate against.',
  })
  local_config_context_schema!: unknown;

  @SoftwareVersionField('device', 'devices')
  software_version!: SoftwareVersion | null;

  @SoftwareImageFilesField(
    'device',
    { table: 'dcim_device_software_image_files', source: 'device_id' },
    'devices',
  )
  software_image_files!: string[];

  @Field.text({ blank: true, search: true })
  comments!: string;
}

@Entity('dcim_cable')
@Unique(['termination_a_type', 'termination_a_id'])
@Unique(['termination_b_type', 'termination_b_id'])
export class Cable extends PrimaryModel {
  @Field.choice(CABLE_TERMINATION_TYPES, { max_length: 100 })
  termination_a_type!: string;

  @Field.uuid()
  termination_a_id!: string;

  @Field.choice(CABLE_TERMINATION_TYPES, { max_length: 100 })
  termination_b_type!: string;

  @Field.uuid()
  termination_b_id!: string;

  @Field.choice(CABLE_TYPES, { blank: true })
  type!: string;

  @StatusField({ blank: true, help_text: 'Defaults to Connected' })
  status!: Status;

  @Field.char({ max_length: 100, blank: true, search: true })
  label!: string;

  @Field.color({ blank: true })
  color!: string;

  @Field.decimal({ precision: 8, scale: 2, nullable: true, min_value: 0 })
  length!: string | null;

  @Field.choice(CABLE_LENGTH_UNITS, { blank: true })
  length_unit!: string;
}

/** Device components: ports, interfaces and bays of one device, named uniquely per device. */
export abstract class ComponentModel extends PrimaryModel {
  @Field.fk(() => Device, { on_delete: 'CASCADE' })
  device!: Device;

  @Field.char({ max_length: 64, search: true })
  name!: string;

  /** Naturalised name: `Ethernet1/2` sorts before `Ethernet1/10`. */
  @Column({ type: 'varchar', length: 200, default: '' })
  _name!: string;

  @Field.char({ max_length: 64, blank: true, search: true, help_text: 'Physical label' })
  label!: string;

  @Field.char({ max_length: 200, blank: true, search: true })
  description!: string;
}

/**
 * Components a module may carry (every kind but device bays): `module` is the module they sit on,
 * set when the module's type instantiates them; `device` stays the device the module is in.
 */
export abstract class ModularComponentModel extends ComponentModel {
  @Field.fk(() => Module, {
    nullable: true,
    on_delete: 'CASCADE',
    help_text: 'The module this component sits on (installed in a module bay of the device)',
  })
  module!: Module | null;
}

/** Components a cable can end on; `cable` is set by the cable, not by clients. */
export abstract class CableTerminationModel extends ModularComponentModel {
  @Field.fk(() => Cable, { nullable: true, on_delete: 'SET_NULL', read_only: true })
  cable!: Cable | null;
}

@Entity('dcim_consoleport')
@Unique(['device_id', 'name'])
@Index(['device_id', '_name'])
export class ConsolePort extends CableTerminationModel {
  @Field.choice(CONSOLE_PORT_TYPES, { blank: true })
  type!: string;
}

@Entity('dcim_consoleserverport')
@Unique(['device_id', 'name'])
@Index(['device_id', '_name'])
export class ConsoleServerPort extends CableTerminationModel {
  @Field.choice(CONSOLE_PORT_TYPES, { blank: true })
  type!: string;
}

@Entity('dcim_powerport')
@Unique(['device_id', 'name'])
@Index(['device_id', '_name'])
export class PowerPort extends CableTerminationModel {
  @Field.choice(POWER_PORT_TYPES, { blank: true })
  type!: string;

  @Field.int({ nullable: true, min_value: 1, max_value: 32767, help_text: 'Maximum power draw (watts)' })
  maximum_draw!: number | null;

  @Field.int({ nullable: true, min_value: 1, max_value: 32767, help_text: 'Allocated power draw (watts)' })
  allocated_draw!: number | null;
}

@Entity('dcim_poweroutlet')
@Unique(['device_id', 'name'])
@Index(['device_id', '_name'])
export class PowerOutlet extends CableTerminationModel {
  @Field.choice(POWER_OUTLET_TYPES, { blank: true })
  type!: string;

  @Field.fk(() => PowerPort, { nullable: true, on_delete: 'SET_NULL', related_name: 'power_outlets' })
  power_port!: PowerPort | null;

  @Field.choice(FEED_LEGS, { blank: true, help_text: 'Phase (for three-phase feeds)' })
  feed_leg!: string;
}

@Entity('dcim_interface')
@Unique(['device_id', 'name'])
@Index(['device_id', '_name'])
export class Interface extends CableTerminationModel {
  @Field.choice(INTERFACE_TYPES)
  type!: string;

  @StatusField({ blank: true, help_text: 'Defaults to Active' })
  status!: Status;

  @Field.bool({ default: true })
  enabled!: boolean;

  @Field.bool({
    default: false,
    label: 'Management only',
    help_text: 'This interface is used only for out-of-band management',
  })
  mgmt_only!: boolean;

  @Field.int({ nullable: true, min_value: 1, max_value: 65536, label: 'MTU' })
  mtu!: number | null;

  @Field.choice(POE_MODES, { blank: true, label: 'PoE mode' })
  poe_mode!: string;

  @Field.choice(POE_TYPES, { blank: true, label: 'PoE type' })
  poe_type!: string;

  @Field.mac({ nullable: true, label: 'MAC address' })
  mac_address!: string | null;

  @Field.choice(INTERFACE_MODES, { blank: true, label: '802.1Q mode' })
  mode!: string;

  @Field.fk(() => Interface, {
    nullable: true,
    on_delete: 'SET_NULL',
    related_name: 'member_interfaces',
    label: 'Parent LAG',
  })
  lag!: Interface | null;

  @Field.fk(() => Interface, {
    nullable: true,
    on_delete: 'SET_NULL',
    related_name: 'child_interfaces',
    label: 'Parent interface',
  })
  parent_interface!: Interface | null;

  @Field.fk(() => Interface, { nullable: true, on_delete: 'SET_NULL', related_name: 'bridged_interfaces' })
  bridge!: Interface | null;

  @Field.fk('ipam.vlan', {
    nullable: true,
    on_delete: 'SET_NULL',
    related_name: 'interfaces_as_untagged',
    label: 'Untagged VLAN',
  })
  untagged_vlan!: unknown;

  @Field.m2m('ipam.vlan', {
    through: { table: 'dcim_interface_tagged_vlans', source: 'interface_id', target: 'vlan_id' },
    related_name: 'interfaces_as_tagged',
    label: 'Tagged VLANs',
  })
  tagged_vlans!: unknown[];

  @Field.fk('ipam.vrf', { nullable: true, on_delete: 'SET_NULL', label: 'VRF' })
  vrf!: unknown;
}

/** Join table of Interface.tagged_vlans (its VLAN foreign key is added by the ipam migrations). */
@Entity('dcim_interface_tagged_vlans')
export class InterfaceTaggedVlan {
  @PrimaryColumn({ type: 'uuid' })
  interface_id!: string;

  @Index()
  @PrimaryColumn({ type: 'uuid' })
  vlan_id!: string;
}

@Entity('dcim_rearport')
@Unique(['device_id', 'name'])
@Index(['device_id', '_name'])
export class RearPort extends CableTerminationModel {
  @Field.choice(PORT_TYPES)
  type!: string;

  @Field.int({ default: 1, min_value: 1, max_value: 1024 })
  positions!: number;
}

@Entity('dcim_frontport')
@Unique(['device_id', 'name'])
@Unique(['rear_port_id', 'rear_port_position'])
@Index(['device_id', '_name'])
export class FrontPort extends CableTerminationModel {
  @Field.choice(PORT_TYPES)
  type!: string;

  @Field.fk(() => RearPort, { on_delete: 'CASCADE', related_name: 'front_ports' })
  rear_port!: RearPort;

  @Field.int({ default: 1, min_value: 1, max_value: 1024 })
  rear_port_position!: number;
}

@Entity('dcim_devicebay')
@Unique(['device_id', 'name'])
@Index(['device_id', '_name'])
export class DeviceBay extends ComponentModel {
  @Field.fk(() => Device, { nullable: true, unique: true, on_delete: 'SET_NULL', related_name: 'parent_bay' })
  installed_device!: Device | null;
}
