import {
  ORGANIZATIONAL_FEATURES,
  PRIMARY_FEATURES,
  defineModel,
  sql,
  type ModelDefinition,
} from '@plinth/plugin-sdk';
import { defaultStatus } from '@plinth/dcim';
import { Cluster, ClusterGroup, ClusterType, VMInterface, VirtualMachine } from './entities';
import { clusterFilters, virtualMachineFilters, vmInterfaceFilters } from './filters';
import {
  clusterRules,
  naturalName,
  virtualMachineBatchRules,
  virtualMachineRules,
  vmInterfaceBatchRules,
  vmInterfaceRules,
} from './rules';

export const clusterTypeModel = defineModel({
  entity: ClusterType,
  app_label: 'virtualization',
  model: 'clustertype',
  verbose_name: 'cluster type',
  features: ORGANIZATIONAL_FEATURES,
  list_fields: ['name', 'description'],
});

export const clusterGroupModel = defineModel({
  entity: ClusterGroup,
  app_label: 'virtualization',
  model: 'clustergroup',
  verbose_name: 'cluster group',
  features: ORGANIZATIONAL_FEATURES,
  list_fields: ['name', 'description'],
});

export const clusterModel = defineModel({
  entity: Cluster,
  app_label: 'virtualization',
  model: 'cluster',
  // `locations`: location types decide whether clusters may sit at their locations.
  features: [...PRIMARY_FEATURES, 'locations'],
  rules: clusterRules,
  filters: clusterFilters,
  list_fields: ['name', 'cluster_type', 'cluster_group', 'location', 'tenant'],
});

export const virtualMachineModel = defineModel({
  entity: VirtualMachine,
  app_label: 'virtualization',
  model: 'virtualmachine',
  verbose_name: 'virtual machine',
  features: [...PRIMARY_FEATURES, 'statuses', 'roles', 'locations', 'config_context'],
  natural_key: ['name', 'cluster'],
  ordering: ['_name'],
  rules: virtualMachineRules,
  batch_rules: virtualMachineBatchRules,
  hooks: { prepare: naturalName },
  filters: virtualMachineFilters,
  list_fields: [
    'name',
    'status',
    'cluster',
    'location',
    'role',
    'tenant',
    'vcpus',
    'memory',
    'disk',
    'primary_ip4',
  ],
});

export const vmInterfaceModel = defineModel({
  entity: VMInterface,
  app_label: 'virtualization',
  model: 'vminterface',
  verbose_name: 'VM interface',
  api_path: 'interfaces',
  graphql_names: { single: 'vm_interface', list: 'vm_interfaces' },
  features: [...PRIMARY_FEATURES, 'statuses'],
  natural_key: ['virtual_machine', 'name'],
  ordering: ['virtual_machine_id', '_name'],
  related_object: 'virtual_machine',
  search_fields: ['virtual_machine'],
  display: {
    sql: (t) =>
      sql`COALESCE((SELECT v.name FROM ${sql.table('virtualization.virtualmachine')} v WHERE v.id = ${t}."virtual_machine_id"), '') || ' ' || ${t}."name"`,
  },
  rules: vmInterfaceRules,
  batch_rules: vmInterfaceBatchRules,
  hooks: {
    prepare: async (ctx) => {
      naturalName(ctx);
      await defaultStatus('Active')(ctx);
    },
  },
  filters: vmInterfaceFilters,
  list_fields: ['virtual_machine', 'name', 'enabled', 'mtu', 'mac_address', 'mode', 'description'],
});

export const VIRTUALIZATION_MODELS: ModelDefinition[] = [
  clusterTypeModel,
  clusterGroupModel,
  clusterModel,
  virtualMachineModel,
  vmInterfaceModel,
];
