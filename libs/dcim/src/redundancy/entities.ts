import { Entity, Unique } from 'typeorm';
import {
  BaseModel,
  CoreModels,
  Field,
  PrimaryModel,
  StatusField,
  choices,
  type IpAddressRecord,
  type Rec,
  type StatusRecord,
} from '@plinth/plugin-sdk';
import { Interface } from '../entities/devices';

/** How the members of a device redundancy group share the work (Nautobot's choices). */
export const FAILOVER_STRATEGIES = choices({
  'active-active': 'Active/Active',
  'active-passive': 'Active/Passive',
});

/** First-hop redundancy protocols of an interface redundancy group (Nautobot's choices). */
export const REDUNDANCY_PROTOCOLS = choices({ hsrp: 'HSRP', vrrp: 'VRRP', glbp: 'GLBP', carp: 'CARP' });

/**
 * Devices that back each other up (Nautobot's `dcim.DeviceRedundancyGroup`): a cluster or HA
 * pair. Devices join through their `device_redundancy_group` with a priority.
 */
@Entity('dcim_deviceredundancygroup')
export class DeviceRedundancyGroup extends PrimaryModel {
  @Field.char({ max_length: 255, unique: true, search: true })
  name!: string;

  @StatusField()
  status!: StatusRecord;

  @Field.char({ max_length: 255, blank: true, search: true })
  description!: string;

  @Field.choice(FAILOVER_STRATEGIES, { max_length: 50, blank: true })
  failover_strategy!: string;

  @Field.text({ blank: true })
  comments!: string;

  @Field.fk('extras.secretsgroup', {
    nullable: true,
    on_delete: 'SET_NULL',
    related_name: 'device_redundancy_groups',
    help_text: 'Credentials the members share.',
  })
  secrets_group!: Rec | null;
}

/**
 * Interfaces sharing a virtual address through a first-hop redundancy protocol (Nautobot's
 * `dcim.InterfaceRedundancyGroup`); members join through associations with a priority.
 */
@Entity('dcim_interfaceredundancygroup')
export class InterfaceRedundancyGroup extends PrimaryModel {
  @Field.char({ max_length: 255, unique: true, search: true })
  name!: string;

  @StatusField()
  status!: StatusRecord;

  @Field.char({ max_length: 255, blank: true, search: true })
  description!: string;

  @Field.choice(REDUNDANCY_PROTOCOLS, { max_length: 50, blank: true })
  protocol!: string;

  @Field.char({
    max_length: 50,
    blank: true,
    label: 'Protocol group ID',
    help_text: 'The HSRP/VRRP/GLBP/CARP group number.',
  })
  protocol_group_id!: string;

  @Field.fk(CoreModels.ipAddress, {
    nullable: true,
    on_delete: 'SET_NULL',
    related_name: 'interface_redundancy_groups',
    label: 'Virtual IP',
  })
  virtual_ip!: IpAddressRecord | null;

  @Field.fk('extras.secretsgroup', {
    nullable: true,
    on_delete: 'SET_NULL',
    related_name: 'interface_redundancy_groups',
    help_text: 'Authentication credentials of the protocol.',
  })
  secrets_group!: Rec | null;
}

/** An interface in an interface redundancy group, with its priority (once per group). */
@Entity('dcim_interfaceredundancygroupassociation')
@Unique(['interface_redundancy_group_id', 'interface_id'])
export class InterfaceRedundancyGroupAssociation extends BaseModel {
  @Field.fk(() => InterfaceRedundancyGroup, {
    on_delete: 'CASCADE',
    related_name: 'interface_redundancy_group_associations',
  })
  interface_redundancy_group!: InterfaceRedundancyGroup;

  @Field.fk(() => Interface, {
    on_delete: 'CASCADE',
    related_name: 'interface_redundancy_group_associations',
  })
  interface!: Interface;

  @Field.int({ min_value: 0, max_value: 32767, help_text: 'Higher wins the election.' })
  priority!: number;
}
