import { TableColumns, TemplateExtensions, contribute } from '@plinth/plugin-sdk';
import { locationCountColumn } from '@plinth/dcim';
import { PrefixPages, prefixUtilizationColumn } from './prefix-ui';
import { VlanGroupPanels, vlanPanels } from './vlan-ui';

/** The locations list: prefixes at each location and below (next to dcim's racks and devices). */
export const LocationPrefixCount = locationCountColumn({
  name: 'prefix_count',
  label: 'Prefixes',
  model: 'ipam.prefix',
  column: 'location_id',
});

/** ipam's pages, contributed through the UI slots like any plugin's (classes are Nest providers). */
export const IPAM_UI_PROVIDERS = [PrefixPages, VlanGroupPanels, LocationPrefixCount];

export const IPAM_UI_CONTRIBUTIONS = [
  contribute(TemplateExtensions, PrefixPages, VlanGroupPanels, vlanPanels),
  contribute(TableColumns, prefixUtilizationColumn, LocationPrefixCount),
];
