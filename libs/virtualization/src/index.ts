import {
  CustomValidators,
  ModelExtensions,
  Navigation,
  TemplateExtensions,
  contribute,
  definePlugin,
} from '@plinth/plugin-sdk';
import { clusterPage, virtualMachinePage, vmInterfacePage } from './ui/virtualization-ui';
import { deviceClusterValidator } from './device-validators';
import { ipAddressVmFilters } from './ip-address-filters';
import { virtualizationNavigation } from './navigation';
import { VIRTUALIZATION_MODELS } from './models';
import { VirtualizationInitial1796631187092 } from './migrations/1796631187092-VirtualizationInitial';
import { VirtualMachineSoftware1796636565473 } from './migrations/1796636565473-VirtualMachineSoftware';

export * from './entities';
export * from './models';

export default definePlugin({
  name: 'virtualization',
  verbose_name: 'Virtualization',
  version: '0.2.0',
  description: 'Cluster types, cluster groups, clusters, virtual machines and their interfaces.',
  dependsOn: ['extras', 'tenancy', 'dcim', 'ipam'],
  models: VIRTUALIZATION_MODELS,
  migrations: [VirtualizationInitial1796631187092, VirtualMachineSoftware1796636565473],
  contributions: [
    contribute(Navigation, virtualizationNavigation),
    contribute(CustomValidators, deviceClusterValidator),
    contribute(ModelExtensions, ipAddressVmFilters),
    contribute(TemplateExtensions, clusterPage, virtualMachinePage, vmInterfacePage),
  ],
});
