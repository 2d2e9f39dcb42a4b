import { TableColumns, TemplateExtensions, contribute } from '@plinth/plugin-sdk';
import { deviceComponentTabs } from './device-ui';
import { LocationDeviceCount, LocationPanels, LocationRackCount } from './location-ui';
import { locationElevationsTab, rackElevations } from './rack-ui';
import { POWER_UI } from '../power/ui';
import { RACK_RESERVATION_UI } from '../rack-reservations/ui';
import { moduleUi } from '../modules/ui';
import { SOFTWARE_TEMPLATE_EXTENSIONS } from '../software/ui';

export { endLink, loadEndOwners, CABLE_END_FIELDS } from './cable-ends';
export {
  countLink,
  countsBelowLocations,
  locationCountColumn,
  type LocationCountSpec,
} from './location-counts';
export { elevationSvg, devicesOnFace, type ElevationDevice, type ElevationRack } from './elevation';

/** dcim's pages, contributed through the UI slots like any plugin's (classes are Nest providers). */
export const DCIM_UI_PROVIDERS = [LocationPanels, LocationRackCount, LocationDeviceCount];

export const DCIM_UI_CONTRIBUTIONS = [
  contribute(
    TemplateExtensions,
    deviceComponentTabs,
    rackElevations,
    locationElevationsTab,
    LocationPanels,
    ...POWER_UI,
    ...RACK_RESERVATION_UI,
    ...moduleUi,
  ),
  contribute(TemplateExtensions, ...SOFTWARE_TEMPLATE_EXTENSIONS),
  contribute(TableColumns, LocationRackCount, LocationDeviceCount),
];
