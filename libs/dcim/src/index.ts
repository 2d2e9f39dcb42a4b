import { Module } from '@nestjs/common';
import {
  CliCommands,
  ContentTypeReferences,
  DatasourceContents,
  ModelFeatures,
  Navigation,
  TemplateExtensions,
  contribute,
  definePlugin,
} from '@plinth/plugin-sdk';
import { dcimNavigation } from './navigation';
import { DcimInitial1795317715448 } from './migrations/1795317715448-DcimInitial';
import { DcimRules1795319290188 } from './migrations/1795319290188-DcimRules';
import { ComponentCustomFields1796609314004 } from './migrations/1796609314004-ComponentCustomFields';
import { DcimCustomFieldIndexes1796619993597 } from './migrations/1796619993597-DcimCustomFieldIndexes';
import { ConfigContexts1796620272009 } from './migrations/1796620272009-ConfigContexts';
import { PowerAndRackReservations1796631211994 } from './migrations/1796631211994-PowerAndRackReservations';
import { Modules1796631401587 } from './migrations/1796631401587-Modules';
import { RedundancyGroups1796631712216 } from './migrations/1796631712216-RedundancyGroups';
import { DcimVirtualization1796631560382 } from './migrations/1796631560382-DcimVirtualization';
import { InventoryItems1796632481667 } from './migrations/1796632481667-InventoryItems';
import { InventorySoftware1796636560060 } from './migrations/1796636560060-InventorySoftware';
import { Software1796631146571 } from './migrations/1796631146571-Software';
import { InterfaceTaggedVlan } from './entities/devices';
import { DCIM_MODELS } from './models';
import { DCIM_UI_CONTRIBUTIONS, DCIM_UI_PROVIDERS } from './ui';
import { deviceInventoryTab } from './inventory/device-tab';
import { DcimTraceController } from './paths/trace.controller';
import { TraceService } from './paths/trace';
import { importDeviceTypesCommand } from './importer/cli';
import { redundancyNavigation, redundancyPages } from './redundancy';
import {
  CONFIG_CONTEXT_SCOPE_TABLES,
  ConfigContextTab,
  configContextsContent,
  configContextFeature,
  configContextModel,
  configContextSchemaModel,
} from './config-contexts';

export * from './choices';
export * from './config-contexts';
export * from './component-choices';
export * from './components/kinds';
export * from './entities/locations';
export * from './entities/device-types';
export * from './entities/devices';
export * from './models';
export * from './power/choices';
export * from './power/entities';
export { powerFeedModel, powerPanelModel } from './power/models';
export { availablePower } from './power/rules';
export { powerDrawField, type PowerDraw, type PowerLeg } from './power/draw';
export * from './rack-reservations/entities';
export { rackReservationModel } from './rack-reservations/models';
export * from './modules';
export * from './redundancy';
export * from './inventory';
export * from './software';
export { naturalize } from './naturalize';
export { defaultStatus } from './statuses';
export * from './ui';
export { checkLocationContentType, locationContentTypeRule } from './rules/locations';
export { deleteAttachedCables } from './cables/cables';
export { cablePeerFields, connectedEndpointFields } from './paths/computed';
export { cabledFilter, connectedFilter, macCondition } from './filters';
export { TraceService, type Trace } from './paths/trace';
export * from './cables/terminations';
export * from './importer/import-device-types';
export { parseDeviceType, FormatError, type DeviceTypeDefinition } from './importer/library-format';
export { parseModuleType, type ModuleTypeDefinition } from './importer/module-type-format';

@Module({
  controllers: [DcimTraceController],
  providers: [TraceService, ConfigContextTab, ...DCIM_UI_PROVIDERS],
  exports: [TraceService],
})
export class DcimModule {}

export default definePlugin({
  name: 'dcim',
  verbose_name: 'DCIM',
  version: '0.2.0',
  description:
    'Locations, racks, device types, devices, their components, modules, cables, power, and device and interface redundancy groups.',
  dependsOn: ['extras', 'tenancy'],
  module: DcimModule,
  // Config contexts keep Nautobot's `extras` labels; they live here, after the tables they scope by.
  models: [...DCIM_MODELS, configContextSchemaModel, configContextModel],
  entities: [InterfaceTaggedVlan, ...CONFIG_CONTEXT_SCOPE_TABLES],
  migrations: [
    DcimInitial1795317715448,
    DcimRules1795319290188,
    ComponentCustomFields1796609314004,
    DcimCustomFieldIndexes1796619993597,
    ConfigContexts1796620272009,
    Software1796631146571,
    PowerAndRackReservations1796631211994,
    Modules1796631401587,
    DcimVirtualization1796631560382,
    RedundancyGroups1796631712216,
    InventoryItems1796632481667,
    InventorySoftware1796636560060,
  ],
  contributions: [
    // Models with `locations` may be assigned to locations (location types list them).
    contribute(ModelFeatures, { feature: 'locations' }, configContextFeature),
    contribute(TemplateExtensions, ConfigContextTab),
    contribute(DatasourceContents, configContextsContent),
    contribute(Navigation, {
      name: 'Extensibility',
      groups: [
        {
          name: 'Data Management',
          items: [{ model: 'extras.configcontext' }, { model: 'extras.configcontextschema' }],
        },
      ],
    }),
    contribute(CliCommands, importDeviceTypesCommand),
    contribute(
      ContentTypeReferences,
      {
        table: 'dcim_locationtype',
        column: 'content_types',
        kind: 'array',
        onRemove: 'remove-item',
        description: "location types' content types",
      },
      // Rows a plugin's data source maintains go with the plugin.
      ...['dcim_configcontext', 'dcim_configcontextschema'].map((table) => ({
        table,
        column: 'owner_content_type',
        kind: 'value' as const,
        onRemove: 'delete-row' as const,
        description: `${table === 'dcim_configcontext' ? 'config contexts' : 'config context schemas'} maintained by its data sources`,
      })),
    ),
    contribute(Navigation, ...dcimNavigation, redundancyNavigation),
    contribute(TemplateExtensions, ...redundancyPages, deviceInventoryTab),
    ...DCIM_UI_CONTRIBUTIONS,
  ],
});
