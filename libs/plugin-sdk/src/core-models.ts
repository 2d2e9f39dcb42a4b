import { Field, virtualField, type FieldMeta, type ForeignKeyOptions } from './fields';
import { modelRef, type ModelRef } from './refs';

/**
 * Core models plugins commonly point at, as typed refs: foreign keys
 * (`@Field.fk(CoreModels.device)`; `makemigrations` writes their constraints), reads and writes
 * (`objects.find(CoreModels.interface, {device: id})` returns typed records). The record shapes
 * list the fields plugins usually need (a test keeps them in line with the registered models);
 * foreign keys are ids, as in every record.
 */

interface Stored {
  id: string;
  created: Date;
  last_updated: Date;
}

interface Named extends Stored {
  name: string;
  description: string;
}

export interface UserRecord extends Stored {
  username: string;
  first_name: string;
  last_name: string;
  email: string;
  is_active: boolean;
  is_staff: boolean;
  is_superuser: boolean;
}
export type GroupRecord = Stored & { name: string };
export interface StatusRecord extends Named {
  color: string;
  content_types: string[];
}
export interface RoleRecord extends Named {
  color: string;
  weight: number | null;
  content_types: string[];
}
export interface TagRecord extends Named {
  color: string;
  content_types: string[];
}
export interface TenantGroupRecord extends Named {
  parent: string | null;
}
export interface TenantRecord extends Named {
  tenant_group: string | null;
}
export interface LocationTypeRecord extends Named {
  parent: string | null;
  nestable: boolean;
  content_types: string[];
}
export interface LocationRecord extends Named {
  location_type: string;
  parent: string | null;
  status: string;
  tenant: string | null;
}
export type ManufacturerRecord = Named;
export interface PlatformRecord extends Named {
  manufacturer: string | null;
}
export interface DeviceTypeRecord extends Stored {
  manufacturer: string;
  model: string;
  part_number: string;
  u_height: number;
  is_full_depth: boolean;
}
export interface RackRecord extends Stored {
  name: string;
  location: string;
  rack_group: string | null;
  status: string;
  tenant: string | null;
}
export interface DeviceRecord extends Stored {
  name: string | null;
  device_type: string;
  role: string;
  location: string;
  rack: string | null;
  status: string;
  tenant: string | null;
  platform: string | null;
  serial: string;
  primary_ip4: string | null;
  primary_ip6: string | null;
}
export interface InterfaceRecord extends Stored {
  device: string;
  name: string;
  label: string;
  type: string;
  status: string;
  enabled: boolean;
  mgmt_only: boolean;
  mtu: number | null;
  mac_address: string | null;
  description: string;
  cable: string | null;
}
export interface CableRecord extends Stored {
  termination_a_type: string;
  termination_a_id: string;
  termination_b_type: string;
  termination_b_id: string;
  status: string;
  label: string;
}
export type NamespaceRecord = Named;
export interface VrfRecord extends Stored {
  name: string;
  rd: string | null;
  namespace: string;
}
export interface PrefixRecord extends Stored {
  prefix: string;
  namespace: string;
  type: string;
  status: string;
  parent: string | null;
  tenant: string | null;
  location: string | null;
  vlan: string | null;
}
export interface IpAddressRecord extends Stored {
  address: string;
  parent: string;
  status: string;
  role: string | null;
  dns_name: string;
  tenant: string | null;
}
export interface VlanGroupRecord extends Named {
  location: string | null;
}
export interface VlanRecord extends Stored {
  vid: number;
  name: string;
  vlan_group: string | null;
  status: string;
  location: string | null;
}
export interface ProviderRecord extends Stored {
  name: string;
}
export interface CircuitRecord extends Stored {
  cid: string;
  provider: string;
  circuit_type: string;
  status: string;
  tenant: string | null;
}

/** A note on an object with the `notes` feature (REST `<id>/notes/`, the UI's Notes tab). */
export interface NoteRecord extends Stored {
  assigned_object_type: string;
  assigned_object_id: string;
  user: string | null;
  user_name: string;
  note: string;
}

export const CoreModels = {
  user: modelRef<UserRecord>('users.user'),
  group: modelRef<GroupRecord>('users.group'),
  status: modelRef<StatusRecord>('extras.status'),
  role: modelRef<RoleRecord>('extras.role'),
  tag: modelRef<TagRecord>('extras.tag'),
  note: modelRef<NoteRecord>('extras.note'),
  tenantGroup: modelRef<TenantGroupRecord>('tenancy.tenantgroup'),
  tenant: modelRef<TenantRecord>('tenancy.tenant'),
  locationType: modelRef<LocationTypeRecord>('dcim.locationtype'),
  location: modelRef<LocationRecord>('dcim.location'),
  manufacturer: modelRef<ManufacturerRecord>('dcim.manufacturer'),
  platform: modelRef<PlatformRecord>('dcim.platform'),
  deviceType: modelRef<DeviceTypeRecord>('dcim.devicetype'),
  rack: modelRef<RackRecord>('dcim.rack'),
  device: modelRef<DeviceRecord>('dcim.device'),
  interface: modelRef<InterfaceRecord>('dcim.interface'),
  cable: modelRef<CableRecord>('dcim.cable'),
  namespace: modelRef<NamespaceRecord>('ipam.namespace'),
  vrf: modelRef<VrfRecord>('ipam.vrf'),
  prefix: modelRef<PrefixRecord>('ipam.prefix'),
  ipAddress: modelRef<IpAddressRecord>('ipam.ipaddress'),
  vlanGroup: modelRef<VlanGroupRecord>('ipam.vlangroup'),
  vlan: modelRef<VlanRecord>('ipam.vlan'),
  provider: modelRef<ProviderRecord>('circuits.provider'),
  circuit: modelRef<CircuitRecord>('circuits.circuit'),
} as const satisfies Record<string, ModelRef<unknown>>;

/**
 * A model's `status`: a foreign key to a Status whose content types include the model (as
 * Nautobot's StatusField). Accepts the status name, uuid, URL or `{"name": ...}`.
 */
export function StatusField(opts: ForeignKeyOptions = {}): (target: object, prop: string) => void {
  return Field.fk(CoreModels.status, {
    on_delete: 'PROTECT',
    limit_choices_to: (label) => ({ content_types: label }),
    ...opts,
  });
}

/** A model's `role`: a Role whose content types include the model (as Nautobot's RoleField). */
export function RoleField(opts: ForeignKeyOptions = {}): (target: object, prop: string) => void {
  return Field.fk(CoreModels.role, {
    on_delete: 'PROTECT',
    nullable: true,
    limit_choices_to: (label) => ({ content_types: label }),
    ...opts,
  });
}

/**
 * The `tags` many-to-many every model with the `tags` feature gets (extras contributes it):
 * assignments live in one table shared by all models, discriminated by content type.
 */
export function tagsField(): FieldMeta {
  return virtualField({
    name: 'tags',
    kind: 'm2m',
    label: 'Tags',
    target: CoreModels.tag,
    through: {
      table: 'extras_taggeditem',
      source: 'object_id',
      target: 'tag_id',
      discriminator: 'content_type',
    },
    limit_choices_to: (label) => ({ for_content_type: label }),
  });
}
