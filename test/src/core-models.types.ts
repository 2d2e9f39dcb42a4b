/**
 * Type-level test, checked by the build (`tsc -b`): the record shapes the SDK publishes for core
 * models (CoreModels) must be satisfied by the domains' real entities, so plugin authors' typed
 * reads never promise a field that is not there or has another type.
 */
import type { Circuit, Provider } from '@plinth/circuits';
import type {
  Cable,
  Device,
  DeviceType,
  Interface,
  Location,
  LocationType,
  Manufacturer,
  Platform,
  Rack,
} from '@plinth/dcim';
import type { Role, Status, Tag } from '@plinth/extras';
import type { IPAddress, Namespace, Prefix, VLAN, VLANGroup, VRF } from '@plinth/ipam';
import type { Tenant, TenantGroup } from '@plinth/tenancy';
import type { Group, User } from '@plinth/users';
import type { CoreModels, RecordOf } from '@plinth/plugin-sdk';

type Shape<K extends keyof typeof CoreModels> = (typeof CoreModels)[K] extends { __entity?: infer E }
  ? E
  : never;

/** Compiles only when the entity's record has every field of the shape, with a compatible type. */
type Satisfies<Actual extends Expected, Expected> = Actual;

export type CoreModelShapesMatch = [
  Satisfies<RecordOf<User>, Shape<'user'>>,
  Satisfies<RecordOf<Group>, Shape<'group'>>,
  Satisfies<RecordOf<Status>, Shape<'status'>>,
  Satisfies<RecordOf<Role>, Shape<'role'>>,
  Satisfies<RecordOf<Tag>, Shape<'tag'>>,
  Satisfies<RecordOf<TenantGroup>, Shape<'tenantGroup'>>,
  Satisfies<RecordOf<Tenant>, Shape<'tenant'>>,
  Satisfies<RecordOf<LocationType>, Shape<'locationType'>>,
  Satisfies<RecordOf<Location>, Shape<'location'>>,
  Satisfies<RecordOf<Manufacturer>, Shape<'manufacturer'>>,
  Satisfies<RecordOf<Platform>, Shape<'platform'>>,
  Satisfies<RecordOf<DeviceType>, Shape<'deviceType'>>,
  Satisfies<RecordOf<Rack>, Shape<'rack'>>,
  Satisfies<RecordOf<Device>, Shape<'device'>>,
  Satisfies<RecordOf<Interface>, Shape<'interface'>>,
  Satisfies<RecordOf<Cable>, Shape<'cable'>>,
  Satisfies<RecordOf<Namespace>, Shape<'namespace'>>,
  Satisfies<RecordOf<VRF>, Shape<'vrf'>>,
  Satisfies<RecordOf<Prefix>, Shape<'prefix'>>,
  Satisfies<RecordOf<IPAddress>, Shape<'ipAddress'>>,
  Satisfies<RecordOf<VLANGroup>, Shape<'vlanGroup'>>,
  Satisfies<RecordOf<VLAN>, Shape<'vlan'>>,
  Satisfies<RecordOf<Provider>, Shape<'provider'>>,
  Satisfies<RecordOf<Circuit>, Shape<'circuit'>>,
];
