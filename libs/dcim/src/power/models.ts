import { PRIMARY_FEATURES, defineModel, treeFilter } from '@plinth/plugin-sdk';
import { PowerFeed, PowerPanel } from './entities';
import { deleteAttachedCables } from '../cables/cables';
import { cablePeerFields, connectedEndpointFields } from '../paths/computed';
import { cabledFilter, connectedFilter } from '../filters';
import { POWER_FEED } from '../components/kinds';
import { powerFeedRules, powerPanelRules, preparePowerFeed } from './rules';

export const powerPanelModel = defineModel({
  entity: PowerPanel,
  app_label: 'dcim',
  model: 'powerpanel',
  verbose_name: 'power panel',
  features: [...PRIMARY_FEATURES, 'locations'],
  natural_key: ['name', 'location'],
  ordering: ['location', 'name'],
  rules: powerPanelRules,
  list_fields: ['name', 'location', 'rack_group'],
});

export const powerFeedModel = defineModel({
  entity: PowerFeed,
  app_label: 'dcim',
  model: 'powerfeed',
  verbose_name: 'power feed',
  features: [...PRIMARY_FEATURES, 'statuses'],
  natural_key: ['name', 'power_panel'],
  ordering: ['power_panel', 'name'],
  rules: powerFeedRules,
  // Cable-able like a device component: the cable goes with it, its peer and endpoint are shown.
  hooks: { prepare: preparePowerFeed, beforeDelete: deleteAttachedCables },
  filters: {
    location: treeFilter(
      'Location of the power panel (name or ID, including child locations)',
      'power_panel.location',
    ),
    cabled: cabledFilter,
    connected: connectedFilter(POWER_FEED),
  },
  computed: [...cablePeerFields(POWER_FEED), ...connectedEndpointFields(POWER_FEED)],
  list_fields: [
    'name',
    'power_panel',
    'rack',
    'status',
    'type',
    'supply',
    'phase',
    'voltage',
    'amperage',
    'max_utilization',
    'available_power',
    'cable',
  ],
});
