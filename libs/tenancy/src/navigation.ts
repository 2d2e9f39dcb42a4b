import type { NavTab } from '@plinth/plugin-sdk';

/** Tenancy's menu entries (the web UI's menu is built only from such contributions). */
export const tenancyNavigation: NavTab = {
  name: 'Organization',
  groups: [
    { name: 'Tenancy', weight: 300, items: [{ model: 'tenancy.tenant' }, { model: 'tenancy.tenantgroup' }] },
  ],
};
