import { CoreModels, sql } from '@plinth/plugin-sdk';

/**
 * The tables dcim's SQL reads, named by model label through the registry (never spelled out,
 * least of all other packages' tables). Component tables come from their kinds
 * (`sql.table(kind.label)`).
 */
export const tables = {
  location: sql.table('dcim.location'),
  locationType: sql.table('dcim.locationtype'),
  rack: sql.table('dcim.rack'),
  rackGroup: sql.table('dcim.rackgroup'),
  powerPanel: sql.table('dcim.powerpanel'),
  powerFeed: sql.table('dcim.powerfeed'),
  powerPort: sql.table('dcim.powerport'),
  powerOutlet: sql.table('dcim.poweroutlet'),
  rackReservation: sql.table('dcim.rackreservation'),
  manufacturer: sql.table('dcim.manufacturer'),
  deviceType: sql.table('dcim.devicetype'),
  platform: sql.table('dcim.platform'),
  device: sql.table('dcim.device'),
  virtualChassis: sql.table('dcim.virtualchassis'),
  cable: sql.table('dcim.cable'),
  interface: sql.table('dcim.interface'),
  frontPort: sql.table('dcim.frontport'),
  rearPort: sql.table('dcim.rearport'),
  deviceBay: sql.table('dcim.devicebay'),
  frontPortTemplate: sql.table('dcim.frontporttemplate'),
  rearPortTemplate: sql.table('dcim.rearporttemplate'),
  deviceBayTemplate: sql.table('dcim.devicebaytemplate'),
  status: sql.table(CoreModels.status),
  tenant: sql.table(CoreModels.tenant),
} as const;
