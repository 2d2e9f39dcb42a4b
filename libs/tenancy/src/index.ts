import { Navigation, contribute, definePlugin } from '@plinth/plugin-sdk';
import { tenancyNavigation } from './navigation';
import { TenancyInitial1795317699653 } from './migrations/1795317699653-TenancyInitial';
import { TenancyCustomFieldIndexes1796620017608 } from './migrations/1796620017608-TenancyCustomFieldIndexes';
import { tenantGroupModel, tenantModel } from './models';

export * from './entities';
export * from './models';

export default definePlugin({
  name: 'tenancy',
  verbose_name: 'Tenancy',
  version: '0.2.0',
  description: 'Tenant groups and tenants.',
  dependsOn: ['extras'],
  models: [tenantGroupModel, tenantModel],
  migrations: [TenancyInitial1795317699653, TenancyCustomFieldIndexes1796620017608],
  contributions: [contribute(Navigation, tenancyNavigation)],
});
