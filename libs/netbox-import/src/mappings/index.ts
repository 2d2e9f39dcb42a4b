import type { ModelMapping, SkippedModel } from '../mapping';
import { circuitMappings } from './circuits';
import {
  clusterMappings,
  contactMappings,
  inventoryMappings,
  powerMappings,
  vmAddressMappings,
  vmMappings,
} from './families';
import { cableMapping, dcimDeviceMappings, dcimTypeMappings } from './dcim';
import { ipamMappings } from './ipam';
import { locationMappings } from './locations';
import { organizationMappings } from './organization';
import { configContextMapping, objectPermissionMapping } from './policy';

const ipamBeforeDevices = ipamMappings.filter((m) =>
  [
    'ipam.rir',
    'ipam.routetarget',
    'ipam.vrf',
    'ipam.vlangroup',
    'ipam.vlan',
    'ipam.aggregate',
    'ipam.prefix',
  ].includes(m.netbox),
);
const ipamAfterDevices = ipamMappings.filter((m) => !ipamBeforeDevices.includes(m));

/**
 * Every mapping, in dependency order: what a mapping refers to is imported before it (VLANs
 * before the interfaces that carry them, circuit terminations before the cables that join them).
 */
export const MAPPINGS: readonly ModelMapping[] = [
  ...organizationMappings,
  ...locationMappings,
  ...dcimTypeMappings,
  ...ipamBeforeDevices,
  ...clusterMappings,
  ...dcimDeviceMappings,
  ...inventoryMappings,
  ...vmMappings,
  ...powerMappings,
  ...circuitMappings,
  cableMapping,
  ...ipamAfterDevices,
  ...vmAddressMappings,
  ...contactMappings,
  configContextMapping,
  objectPermissionMapping,
];

const INTERNAL = 'NetBox internals, not network data';

/** NetBox models deliberately not imported, and why (each gets its line in the report). */
export const SKIPPED: readonly SkippedModel[] = [
  { netbox: 'dcim.cabletermination', reason: 'imported as the ends of their cables' },
  { netbox: 'dcim.cablepath', reason: 'derived: Plinth traces cable paths itself' },
  { netbox: 'extras.taggeditem', reason: 'imported as the tags of their objects' },
  { netbox: 'ipam.asn', reason: 'kept as the ASN of the sites and providers that use them' },
  {
    netbox: 'ipam.iprange',
    reason: 'Plinth, like Nautobot 2.x, has no IP range model: the addresses in a range are imported',
  },
  { netbox: 'extras.cachedvalue', reason: "NetBox's search index: derived, Plinth searches its own data" },
  {
    netbox: 'core.objectchange',
    reason: "NetBox's change log stays in NetBox: Plinth's starts with the import",
  },
  { netbox: 'core.configrevision', reason: "NetBox's own settings" },
  { netbox: 'core.job', reason: "NetBox's job history stays in NetBox" },
  { netbox: 'auth.permission', reason: 'Django model permissions: Plinth grants through object permissions' },
  { netbox: 'contenttypes.contenttype', reason: INTERNAL },
  { netbox: 'sessions.session', reason: INTERNAL },
  { netbox: 'admin.logentry', reason: INTERNAL },
  { netbox: 'users.userconfig', reason: 'user preferences (table settings): Plinth keeps its own' },
  {
    netbox: 'extras.objectchange',
    reason: "NetBox's change log stays in NetBox: Plinth's starts with the import",
  },
];
