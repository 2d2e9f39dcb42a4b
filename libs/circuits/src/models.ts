import {
  ORGANIZATIONAL_FEATURES,
  PRIMARY_FEATURES,
  defineModel,
  sql,
  treeFilter,
  type ModelDefinition,
} from '@plinth/plugin-sdk';
import {
  cabledFilter,
  cablePeerFields,
  connectedEndpointFields,
  connectedFilter,
  deleteAttachedCables,
} from '@plinth/dcim';
import { Circuit, CircuitTermination, CircuitType, Provider, ProviderNetwork } from './entities';
import { circuitFilters, circuitTerminationFields, circuitTerminationRules } from './rules';

export const providerModel = defineModel({
  entity: Provider,
  app_label: 'circuits',
  model: 'provider',
  features: PRIMARY_FEATURES,
  list_fields: ['name', 'asn', 'account', 'portal_url'],
});

export const providerNetworkModel = defineModel({
  entity: ProviderNetwork,
  app_label: 'circuits',
  model: 'providernetwork',
  verbose_name: 'provider network',
  features: PRIMARY_FEATURES,
  natural_key: ['name', 'provider'],
  list_fields: ['name', 'provider', 'description'],
});

export const circuitTypeModel = defineModel({
  entity: CircuitType,
  app_label: 'circuits',
  model: 'circuittype',
  verbose_name: 'circuit type',
  features: ORGANIZATIONAL_FEATURES,
  list_fields: ['name', 'description'],
});

export const circuitModel = defineModel({
  entity: Circuit,
  app_label: 'circuits',
  model: 'circuit',
  features: [...PRIMARY_FEATURES, 'statuses'],
  natural_key: ['cid', 'provider'],
  ordering: ['provider', 'cid'],
  display: 'cid',
  filters: {
    ...circuitFilters,
    tenant_group: treeFilter('Tenant group (name or ID, including child groups)', 'tenant.tenant_group'),
  },
  computed: circuitTerminationFields(),
  list_fields: ['cid', 'provider', 'circuit_type', 'status', 'tenant', 'commit_rate', 'description'],
});

export const circuitTerminationModel = defineModel({
  entity: CircuitTermination,
  app_label: 'circuits',
  model: 'circuittermination',
  verbose_name: 'circuit termination',
  // `locations`: location types decide whether circuit terminations may sit at their locations.
  features: [...PRIMARY_FEATURES, 'locations'],
  natural_key: ['circuit', 'term_side'],
  ordering: ['circuit', 'term_side'],
  related_object: 'circuit',
  display: {
    sql: (t) =>
      sql`(SELECT c.cid FROM ${sql.table('circuits.circuit')} c WHERE c.id = ${t}."circuit_id") || ': Termination ' || ${t}."term_side"`,
  },
  rules: circuitTerminationRules,
  // Cable-able like a device component: the cable goes with it, its peer and endpoint are shown.
  hooks: { beforeDelete: deleteAttachedCables },
  filters: { cabled: cabledFilter, connected: connectedFilter('circuits.circuittermination') },
  computed: [
    ...cablePeerFields('circuits.circuittermination'),
    ...connectedEndpointFields('circuits.circuittermination'),
  ],
  list_fields: ['circuit', 'term_side', 'location', 'provider_network', 'port_speed', 'xconnect_id', 'cable'],
});

export const CIRCUITS_MODELS: ModelDefinition[] = [
  providerModel,
  providerNetworkModel,
  circuitTypeModel,
  circuitModel,
  circuitTerminationModel,
];
