import { ORGANIZATIONAL_FEATURES, PRIMARY_FEATURES, defineModel } from '@plinth/plugin-sdk';
import { Tenant, TenantGroup } from './entities';

export const tenantGroupModel = defineModel({
  entity: TenantGroup,
  app_label: 'tenancy',
  model: 'tenantgroup',
  verbose_name: 'tenant group',
  features: ORGANIZATIONAL_FEATURES,
  tree_parent: 'parent',
  list_fields: ['name', 'parent', 'description'],
});

export const tenantModel = defineModel({
  entity: Tenant,
  app_label: 'tenancy',
  model: 'tenant',
  features: PRIMARY_FEATURES,
  list_fields: ['name', 'tenant_group', 'description'],
});
