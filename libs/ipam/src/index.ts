import { Module } from '@nestjs/common';
import { CustomValidators, InstallHooks, Navigation, contribute, definePlugin } from '@plinth/plugin-sdk';
import { AvailableSpaceController } from './available/available.controller';
import { DCIM_VALIDATORS } from './dcim-validators';
import { ipamNavigation } from './navigation';
import { IpamInitial1795317736185 } from './migrations/1795317736185-IpamInitial';
import { IpamAddressing1795318962608 } from './migrations/1795318962608-IpamAddressing';
import { IpamHostTrigger1795320000000 } from './migrations/1795320000000-IpamHostTrigger';
import { IpamCustomFieldIndexes1796620007439 } from './migrations/1796620007439-IpamCustomFieldIndexes';
import { RedundancyGroupVirtualIp1796631712300 } from './migrations/1796631712300-RedundancyGroupVirtualIp';
import { ServiceVirtualMachine1796631877231 } from './migrations/1796631877231-ServiceVirtualMachine';
import { IPAM_MODELS } from './models';
import { globalNamespaceInstaller } from './namespaces';
import { IPAM_UI_CONTRIBUTIONS, IPAM_UI_PROVIDERS } from './ui';

export * from './entities';
export * from './models';
export { GLOBAL_NAMESPACE } from './namespaces';
export { checkInterfaceVlans, type InterfaceParent, type InterfaceVlans } from './dcim-validators';

@Module({ controllers: [AvailableSpaceController], providers: IPAM_UI_PROVIDERS })
export class IpamModule {}

export default definePlugin({
  name: 'ipam',
  verbose_name: 'IPAM',
  version: '0.2.0',
  description: 'Namespaces, RIRs, VRFs and route targets, prefixes, IP addresses, VLANs and services.',
  dependsOn: ['extras', 'tenancy', 'dcim'],
  module: IpamModule,
  models: IPAM_MODELS,
  migrations: [
    IpamInitial1795317736185,
    IpamAddressing1795318962608,
    IpamHostTrigger1795320000000,
    IpamCustomFieldIndexes1796620007439,
    RedundancyGroupVirtualIp1796631712300,
    ServiceVirtualMachine1796631877231,
  ],
  contributions: [
    contribute(InstallHooks, globalNamespaceInstaller),
    contribute(CustomValidators, ...DCIM_VALIDATORS),
    contribute(Navigation, ipamNavigation),
    ...IPAM_UI_CONTRIBUTIONS,
  ],
});
