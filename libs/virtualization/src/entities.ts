import { Column, Entity, Index, Unique } from 'typeorm';
import {
  Field,
  OrganizationalModel,
  PrimaryModel,
  RoleField,
  StatusField,
  type RoleRecord as Role,
  type StatusRecord as Status,
} from '@plinth/plugin-sdk';
import { IPAddress, VLAN, VRF } from '@plinth/ipam';
import { Tenant } from '@plinth/tenancy';
import {
  INTERFACE_MODES,
  Location,
  Platform,
  SoftwareVersionField,
  type SoftwareVersion,
} from '@plinth/dcim';

@Entity('virtualization_clustertype')
export class ClusterType extends OrganizationalModel {
  @Field.char({ max_length: 255, unique: true, search: true })
  name!: string;

  @Field.char({ max_length: 255, blank: true, search: true })
  description!: string;
}

@Entity('virtualization_clustergroup')
export class ClusterGroup extends OrganizationalModel {
  @Field.char({ max_length: 255, unique: true, search: true })
  name!: string;

  @Field.char({ max_length: 255, blank: true, search: true })
  description!: string;
}

@Entity('virtualization_cluster')
export class Cluster extends PrimaryModel {
  @Field.char({ max_length: 100, unique: true, search: true })
  name!: string;

  @Field.fk(() => ClusterType, { on_delete: 'PROTECT', related_name: 'clusters' })
  cluster_type!: ClusterType;

  @Field.fk(() => ClusterGroup, { nullable: true, on_delete: 'PROTECT', related_name: 'clusters' })
  cluster_group!: ClusterGroup | null;

  @Field.fk(() => Tenant, { nullable: true, on_delete: 'PROTECT', related_name: 'clusters' })
  tenant!: Tenant | null;

  @Field.fk(() => Location, { nullable: true, on_delete: 'PROTECT', related_name: 'clusters' })
  location!: Location | null;

  @Field.text({ blank: true, search: true })
  comments!: string;
}

@Entity('virtualization_virtualmachine')
@Unique(['cluster_id', 'tenant_id', 'name'])
@Index(['cluster_id', '_name'])
export class VirtualMachine extends PrimaryModel {
  @Field.char({ max_length: 64, search: true })
  name!: string;

  /** Naturalised name: `vm2` sorts before `vm10`. */
  @Column({ type: 'varchar', length: 200, default: '' })
  _name!: string;

  @Field.fk(() => Cluster, {
    nullable: true,
    on_delete: 'PROTECT',
    related_name: 'virtual_machines',
    help_text: 'The cluster the virtual machine runs on (a cluster, a location or both is required)',
  })
  cluster!: Cluster | null;

  @Field.fk(() => Location, {
    nullable: true,
    on_delete: 'PROTECT',
    related_name: 'virtual_machines',
    help_text: "Defaults to the cluster's location",
  })
  location!: Location | null;

  @Field.fk(() => Tenant, { nullable: true, on_delete: 'PROTECT', related_name: 'virtual_machines' })
  tenant!: Tenant | null;

  @Field.fk(() => Platform, { nullable: true, on_delete: 'SET_NULL', related_name: 'virtual_machines' })
  platform!: Platform | null;

  @StatusField()
  status!: Status;

  @RoleField()
  role!: Role | null;

  @Field.fk(() => IPAddress, {
    nullable: true,
    on_delete: 'SET_NULL',
    related_name: 'primary_ip4_for_virtual_machines',
    label: 'Primary IPv4',
  })
  primary_ip4!: IPAddress | null;

  @Field.fk(() => IPAddress, {
    nullable: true,
    on_delete: 'SET_NULL',
    related_name: 'primary_ip6_for_virtual_machines',
    label: 'Primary IPv6',
  })
  primary_ip6!: IPAddress | null;

  @Field.int({ nullable: true, min_value: 0, max_value: 32767, label: 'Virtual CPUs' })
  vcpus!: number | null;

  @Field.int({ nullable: true, min_value: 0, max_value: 2147483647, label: 'Memory (MB)' })
  memory!: number | null;

  @Field.int({ nullable: true, min_value: 0, max_value: 2147483647, label: 'Disk (GB)' })
  disk!: number | null;

  @Field.json({
    nullable: true,
    help_text: 'Local config context data (overrides context assigned by rules)',
  })
  local_config_context_data!: Record<string, unknown> | null;

  @Field.fk('extras.configcontextschema', {
    nullable: true,
    on_delete: 'PROTECT',
    related_name: 'virtual_machines',
    help_text: 'Optional schema the local config context data must validate against.',
  })
  local_config_context_schema!: unknown;

  @SoftwareVersionField('virtual machine', 'virtual_machines')
  software_version!: SoftwareVersion | null;

  @Field.text({ blank: true, search: true })
  comments!: string;
}

@Entity('virtualization_vminterface')
@Unique(['virtual_machine_id', 'name'])
@Index(['virtual_machine_id', '_name'])
export class VMInterface extends PrimaryModel {
  @Field.fk(() => VirtualMachine, { on_delete: 'CASCADE', related_name: 'interfaces' })
  virtual_machine!: VirtualMachine;

  @Field.char({ max_length: 64, search: true })
  name!: string;

  /** Naturalised name: `eth2` sorts before `eth10`. */
  @Column({ type: 'varchar', length: 200, default: '' })
  _name!: string;

  @StatusField({ blank: true, help_text: 'Defaults to Active' })
  status!: Status;

  @Field.bool({ default: true })
  enabled!: boolean;

  @Field.int({ nullable: true, min_value: 1, max_value: 65536, label: 'MTU' })
  mtu!: number | null;

  @Field.mac({ nullable: true, label: 'MAC address' })
  mac_address!: string | null;

  @Field.char({ max_length: 200, blank: true, search: true })
  description!: string;

  @Field.choice(INTERFACE_MODES, { blank: true, label: '802.1Q mode' })
  mode!: string;

  @Field.fk(() => VMInterface, {
    nullable: true,
    on_delete: 'SET_NULL',
    related_name: 'child_interfaces',
    label: 'Parent interface',
  })
  parent_interface!: VMInterface | null;

  @Field.fk(() => VMInterface, { nullable: true, on_delete: 'SET_NULL', related_name: 'bridged_interfaces' })
  bridge!: VMInterface | null;

  @Field.fk(() => VLAN, {
    nullable: true,
    on_delete: 'SET_NULL',
    related_name: 'vminterfaces_as_untagged',
    label: 'Untagged VLAN',
  })
  untagged_vlan!: VLAN | null;

  @Field.m2m(() => VLAN, {
    through: {
      table: 'virtualization_vminterface_tagged_vlans',
      source: 'vminterface_id',
      target: 'vlan_id',
    },
    related_name: 'vminterfaces_as_tagged',
    label: 'Tagged VLANs',
  })
  tagged_vlans!: VLAN[];

  @Field.fk(() => VRF, { nullable: true, on_delete: 'SET_NULL', related_name: 'vm_interfaces', label: 'VRF' })
  vrf!: VRF | null;

  /**
   * Addresses on the interface (Nautobot keeps device and VM assignments in one
   * `ipam_ipaddresstointerface` table; Plinth's is keyed on both ids, so VM assignments have a
   * join table of their own). IP addresses see them as `vm_interfaces`.
   */
  @Field.m2m(() => IPAddress, {
    through: {
      table: 'virtualization_vminterface_ip_addresses',
      source: 'vminterface_id',
      target: 'ipaddress_id',
    },
    related_name: 'vm_interfaces',
    label: 'IP addresses',
  })
  ip_addresses!: IPAddress[];
}
