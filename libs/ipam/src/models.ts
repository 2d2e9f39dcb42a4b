import {
  ORGANIZATIONAL_FEATURES,
  PRIMARY_FEATURES,
  defineModel,
  sql,
  type ModelDefinition,
} from '@plinth/plugin-sdk';
import { ipAddressDerivedFields, prefixDerivedFields, utilizationField } from './computed';
import { IPAddress, Namespace, Prefix, RIR, RouteTarget, Service, VLAN, VLANGroup, VRF } from './entities';
import { ipAddressFilters } from './filters/ip-addresses';
import { serviceFilters, vlanFilters, vrfFilters } from './filters/others';
import { prefixFilters } from './filters/prefixes';
import {
  ipAddressBatchRules,
  ipAddressConstraintMessages,
  ipAddressHooks,
  ipAddressRules,
} from './rules/ip-addresses';
import { prefixHooks, prefixRules } from './rules/prefixes';
import { serviceRules } from './rules/services';
import { vlanGroupRules, vlanRules } from './rules/vlans';
import { vrfHooks, vrfRules } from './rules/vrfs';

export const namespaceModel = defineModel({
  entity: Namespace,
  app_label: 'ipam',
  model: 'namespace',
  features: PRIMARY_FEATURES,
  list_fields: ['name', 'description', 'location'],
});

export const rirModel = defineModel({
  entity: RIR,
  app_label: 'ipam',
  model: 'rir',
  verbose_name: 'RIR',
  verbose_name_plural: 'RIRs',
  api_path: 'rirs',
  features: ORGANIZATIONAL_FEATURES,
  list_fields: ['name', 'is_private', 'description'],
});

export const routeTargetModel = defineModel({
  entity: RouteTarget,
  app_label: 'ipam',
  model: 'routetarget',
  verbose_name: 'route target',
  features: PRIMARY_FEATURES,
  list_fields: ['name', 'tenant', 'description'],
});

export const vrfModel = defineModel({
  entity: VRF,
  app_label: 'ipam',
  model: 'vrf',
  verbose_name: 'VRF',
  verbose_name_plural: 'VRFs',
  api_path: 'vrfs',
  features: PRIMARY_FEATURES,
  natural_key: ['name', 'namespace'],
  list_fields: ['name', 'rd', 'namespace', 'tenant', 'description'],
  hooks: vrfHooks,
  rules: vrfRules,
  filters: vrfFilters,
});

export const vlanGroupModel = defineModel({
  entity: VLANGroup,
  app_label: 'ipam',
  model: 'vlangroup',
  verbose_name: 'VLAN group',
  api_path: 'vlan-groups',
  features: [...ORGANIZATIONAL_FEATURES, 'locations'],
  list_fields: ['name', 'location', 'description'],
  rules: vlanGroupRules,
});

export const vlanModel = defineModel({
  entity: VLAN,
  app_label: 'ipam',
  model: 'vlan',
  verbose_name: 'VLAN',
  verbose_name_plural: 'VLANs',
  api_path: 'vlans',
  features: [...PRIMARY_FEATURES, 'statuses', 'roles', 'locations'],
  natural_key: ['vid', 'vlan_group'],
  ordering: ['vlan_group', 'vid'],
  display: (r) => `${String(r.name)} (${String(r.vid)})`,
  list_fields: ['vid', 'name', 'vlan_group', 'location', 'status', 'tenant', 'role'],
  rules: vlanRules,
  filters: vlanFilters,
});

export const prefixModel = defineModel({
  entity: Prefix,
  app_label: 'ipam',
  model: 'prefix',
  verbose_name_plural: 'prefixes',
  features: [...PRIMARY_FEATURES, 'statuses', 'roles', 'locations'],
  natural_key: ['prefix', 'namespace'],
  ordering: ['namespace', 'prefix'],
  display: 'prefix',
  list_fields: ['prefix', 'type', 'status', 'namespace', 'vrfs', 'tenant', 'location', 'vlan', 'role'],
  hooks: prefixHooks,
  rules: prefixRules,
  filters: prefixFilters,
  computed: [...prefixDerivedFields, utilizationField],
});

export const ipAddressModel = defineModel({
  entity: IPAddress,
  app_label: 'ipam',
  model: 'ipaddress',
  verbose_name: 'IP address',
  verbose_name_plural: 'IP addresses',
  api_path: 'ip-addresses',
  features: [...PRIMARY_FEATURES, 'statuses', 'roles'],
  natural_key: ['address', 'namespace'],
  ordering: ['namespace', 'address'],
  // `::text` keeps a full-length mask, which PostgreSQL's inet output drops (`10.0.0.1/32`).
  display: { sql: (t) => sql`${t}."address"::text` },
  list_fields: [
    'address',
    'namespace',
    'parent',
    'type',
    'status',
    'role',
    'tenant',
    'dns_name',
    'interfaces',
  ],
  hooks: ipAddressHooks,
  rules: ipAddressRules,
  batch_rules: ipAddressBatchRules,
  filters: ipAddressFilters,
  computed: ipAddressDerivedFields,
  constraint_messages: ipAddressConstraintMessages,
});

export const serviceModel = defineModel({
  entity: Service,
  app_label: 'ipam',
  model: 'service',
  features: PRIMARY_FEATURES,
  natural_key: ['name', 'device'],
  ordering: ['device', 'name'],
  display: {
    sql: (t) =>
      sql`${t}."name" || ' (' || upper(${t}."protocol") || '/' || array_to_string(${t}."ports", ',') || ')'`,
  },
  related_object: 'device',
  list_fields: ['name', 'device', 'virtual_machine', 'protocol', 'ports', 'ip_addresses', 'description'],
  rules: serviceRules,
  filters: serviceFilters,
});

export const IPAM_MODELS: ModelDefinition[] = [
  namespaceModel,
  rirModel,
  routeTargetModel,
  vrfModel,
  vlanGroupModel,
  vlanModel,
  prefixModel,
  ipAddressModel,
  serviceModel,
];
