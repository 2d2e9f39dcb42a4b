import { Column, Entity, Unique } from 'typeorm';
import { Field, OrganizationalModel, PrimaryModel, choices } from '@plinth/plugin-sdk';
import {
  RoleField,
  StatusField,
  type RoleRecord as Role,
  type StatusRecord as Status,
} from '@plinth/plugin-sdk';
import { Tenant } from '@plinth/tenancy';
import { Device, Interface, Location } from '@plinth/dcim';

export const PREFIX_TYPES = choices([
  ['container', 'Container'],
  ['network', 'Network'],
  ['pool', 'Pool'],
]);

export const IP_ADDRESS_TYPES = choices([
  ['dhcp', 'DHCP'],
  ['slaac', 'SLAAC'],
  ['host', 'Host'],
]);

export const SERVICE_PROTOCOLS = choices([
  ['tcp', 'TCP'],
  ['udp', 'UDP'],
  ['sctp', 'SCTP'],
]);

/** Address spaces: prefixes and IP addresses are unique within a namespace. */
@Entity('ipam_namespace')
export class Namespace extends PrimaryModel {
  @Field.char({ max_length: 255, unique: true, search: true })
  name!: string;

  @Field.char({ max_length: 200, blank: true, search: true })
  description!: string;

  @Field.fk(() => Location, { nullable: true, on_delete: 'PROTECT', related_name: 'namespaces' })
  location!: Location | null;
}

@Entity('ipam_rir')
export class RIR extends OrganizationalModel {
  @Field.char({ max_length: 100, unique: true, search: true })
  name!: string;

  @Field.bool({
    default: false,
    label: 'Private',
    help_text: 'IP space managed by this RIR is considered private',
  })
  is_private!: boolean;

  @Field.char({ max_length: 200, blank: true, search: true })
  description!: string;
}

@Entity('ipam_routetarget')
export class RouteTarget extends PrimaryModel {
  @Field.char({
    max_length: 21,
    unique: true,
    search: true,
    help_text: 'Route target value (formatted in accordance with RFC 4360)',
  })
  name!: string;

  @Field.fk(() => Tenant, { nullable: true, on_delete: 'PROTECT' })
  tenant!: Tenant | null;

  @Field.char({ max_length: 200, blank: true, search: true })
  description!: string;
}

@Entity('ipam_vrf')
@Unique(['namespace_id', 'name'])
@Unique(['namespace_id', 'rd'])
export class VRF extends PrimaryModel {
  @Field.char({ max_length: 100, search: true })
  name!: string;

  @Field.char({
    max_length: 21,
    nullable: true,
    search: true,
    label: 'Route distinguisher',
    help_text: 'Unique route distinguisher (as defined in RFC 4364)',
  })
  rd!: string | null;

  @Field.fk(() => Namespace, {
    on_delete: 'PROTECT',
    blank: true,
    help_text: 'Defaults to the Global namespace',
  })
  namespace!: Namespace;

  @Field.fk(() => Tenant, { nullable: true, on_delete: 'PROTECT' })
  tenant!: Tenant | null;

  @Field.char({ max_length: 200, blank: true, search: true })
  description!: string;

  @Field.m2m(() => RouteTarget, {
    through: { table: 'ipam_vrf_import_targets', source: 'vrf_id', target: 'routetarget_id' },
    related_name: 'importing_vrfs',
  })
  import_targets!: RouteTarget[];

  @Field.m2m(() => RouteTarget, {
    through: { table: 'ipam_vrf_export_targets', source: 'vrf_id', target: 'routetarget_id' },
    related_name: 'exporting_vrfs',
  })
  export_targets!: RouteTarget[];
}

@Entity('ipam_vlangroup')
export class VLANGroup extends OrganizationalModel {
  @Field.char({ max_length: 100, unique: true, search: true })
  name!: string;

  @Field.fk(() => Location, { nullable: true, on_delete: 'PROTECT', related_name: 'vlan_groups' })
  location!: Location | null;

  @Field.char({ max_length: 200, blank: true, search: true })
  description!: string;
}

@Entity('ipam_vlan')
@Unique(['vlan_group_id', 'vid'])
@Unique(['vlan_group_id', 'name'])
export class VLAN extends PrimaryModel {
  @Field.int({ min_value: 1, max_value: 4094, label: 'VLAN ID', index: true })
  vid!: number;

  @Field.char({ max_length: 64, search: true })
  name!: string;

  @Field.fk(() => VLANGroup, {
    nullable: true,
    on_delete: 'PROTECT',
    related_name: 'vlans',
    label: 'VLAN group',
  })
  vlan_group!: VLANGroup | null;

  @Field.fk(() => Location, { nullable: true, on_delete: 'PROTECT' })
  location!: Location | null;

  @Field.fk(() => Tenant, { nullable: true, on_delete: 'PROTECT' })
  tenant!: Tenant | null;

  @StatusField()
  status!: Status;

  @RoleField()
  role!: Role | null;

  @Field.char({ max_length: 200, blank: true, search: true })
  description!: string;
}

@Entity('ipam_prefix')
@Unique(['namespace_id', 'prefix'])
export class Prefix extends PrimaryModel {
  @Field.cidr({ search: true, help_text: 'IPv4 or IPv6 network with mask; host bits are cleared' })
  prefix!: string;

  @Field.fk(() => Namespace, {
    on_delete: 'PROTECT',
    blank: true,
    help_text: 'Defaults to the Global namespace',
  })
  namespace!: Namespace;

  @Field.choice(PREFIX_TYPES, { default: 'network' })
  type!: string;

  @StatusField()
  status!: Status;

  @RoleField()
  role!: Role | null;

  @Field.fk(() => Prefix, {
    nullable: true,
    on_delete: 'SET_NULL',
    read_only: true,
    related_name: 'children',
    help_text: 'The closest containing prefix in the namespace',
  })
  parent!: Prefix | null;

  @Field.fk(() => Tenant, { nullable: true, on_delete: 'PROTECT' })
  tenant!: Tenant | null;

  @Field.fk(() => Location, { nullable: true, on_delete: 'PROTECT' })
  location!: Location | null;

  @Field.fk(() => VLAN, { nullable: true, on_delete: 'PROTECT', label: 'VLAN' })
  vlan!: VLAN | null;

  @Field.fk(() => RIR, { nullable: true, on_delete: 'PROTECT', label: 'RIR' })
  rir!: RIR | null;

  @Field.datetime({ nullable: true })
  date_allocated!: Date | null;

  @Field.char({ max_length: 200, blank: true, search: true })
  description!: string;

  @Field.m2m(() => VRF, {
    through: { table: 'ipam_vrfprefixassignment', source: 'prefix_id', target: 'vrf_id' },
    related_name: 'prefixes',
    label: 'VRFs',
  })
  vrfs!: VRF[];
}

@Entity('ipam_ipaddress')
export class IPAddress extends PrimaryModel {
  @Field.inet({ search: true, help_text: 'IPv4 or IPv6 address with mask (/32 or /128 when omitted)' })
  address!: string;

  /**
   * The address without its mask (`10.0.0.1/24` -> `10.0.0.1/32`), kept by a database trigger
   * (migration IpamHostTrigger). Uniqueness, parents and free-space scans all work on hosts; a
   * plain indexed column lets PostgreSQL answer them with index-only scans (an expression index
   * would recompute the expression for every row it reads).
   */
  @Column({ type: 'inet', name: '_host' })
  _host!: string;

  @Field.fk(() => Namespace, {
    on_delete: 'PROTECT',
    blank: true,
    help_text: 'Defaults to the Global namespace',
  })
  namespace!: Namespace;

  // SET_NULL, not PROTECT: deleting a prefix hands its addresses to the next containing prefix (the
  // model's beforeDelete hook, as Nautobot); the NOT NULL column still refuses to orphan one.
  @Field.fk(() => Prefix, {
    on_delete: 'SET_NULL',
    read_only: true,
    related_name: 'ip_addresses',
    help_text: 'The closest containing prefix in the namespace',
  })
  parent!: Prefix;

  @Field.choice(IP_ADDRESS_TYPES, { default: 'host' })
  type!: string;

  @StatusField()
  status!: Status;

  @RoleField()
  role!: Role | null;

  @Field.fk(() => Tenant, { nullable: true, on_delete: 'PROTECT' })
  tenant!: Tenant | null;

  @Field.char({
    max_length: 255,
    blank: true,
    search: true,
    label: 'DNS name',
    help_text: 'Hostname or FQDN (not case-sensitive)',
  })
  dns_name!: string;

  @Field.char({ max_length: 200, blank: true, search: true })
  description!: string;

  @Field.fk(() => IPAddress, {
    nullable: true,
    on_delete: 'SET_NULL',
    related_name: 'nat_outside_list',
    label: 'NAT (inside)',
  })
  nat_inside!: IPAddress | null;

  @Field.m2m(() => Interface, {
    through: { table: 'ipam_ipaddresstointerface', source: 'ip_address_id', target: 'interface_id' },
    related_name: 'ip_addresses',
  })
  interfaces!: Interface[];
}

@Entity('ipam_service')
@Unique(['device_id', 'name'])
@Unique(['virtual_machine_id', 'name'])
export class Service extends PrimaryModel {
  @Field.fk(() => Device, { nullable: true, on_delete: 'CASCADE', related_name: 'services' })
  device!: Device | null;

  /**
   * Services run on a device or on a virtual machine (Nautobot's shape). A label target:
   * virtualization depends on ipam, so its migration adds the constraint.
   */
  @Field.fk('virtualization.virtualmachine', {
    nullable: true,
    on_delete: 'CASCADE',
    related_name: 'services',
  })
  virtual_machine!: unknown;

  @Field.char({ max_length: 100, search: true })
  name!: string;

  @Field.choice(SERVICE_PROTOCOLS)
  protocol!: string;

  @Field.array({ item: 'integer', help_text: 'TCP/UDP/SCTP port numbers (1-65535)' })
  ports!: number[];

  @Field.m2m(() => IPAddress, {
    through: { table: 'ipam_service_ip_addresses', source: 'service_id', target: 'ipaddress_id' },
    related_name: 'services',
    label: 'IP addresses',
  })
  ip_addresses!: IPAddress[];

  @Field.char({ max_length: 200, blank: true, search: true })
  description!: string;
}
