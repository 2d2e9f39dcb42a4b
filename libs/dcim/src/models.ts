import {
  ORGANIZATIONAL_FEATURES,
  PRIMARY_FEATURES,
  defineModel,
  sql,
  type ModelDefinition,
  type ModelFeature,
  type RuleContext,
} from '@plinth/plugin-sdk';
import * as templateEntities from './entities/device-types';
import { DeviceType, Manufacturer, Platform } from './entities/device-types';
import * as componentEntities from './entities/devices';
import { Cable, Device, VirtualChassis } from './entities/devices';
import { Location, LocationType, Rack, RackGroup } from './entities/locations';
import { naturalize } from './naturalize';
import {
  attachCableEnds,
  cableRules,
  checkCableEnds,
  deleteAttachedCables,
  detachCableEnds,
  prepareCable,
} from './cables/cables';
import { COMPONENT_KINDS, type ComponentKind } from './components/kinds';
import {
  cableFilters,
  componentFilters,
  deviceFilters,
  deviceTypeFilter,
  deviceTypeFilters,
  interfaceFilters,
  locationFilters,
  rackFilters,
  virtualChassisFilters,
} from './filters';
import { cablePeerFields, connectedEndpointFields } from './paths/computed';
import {
  deviceBayRules,
  frontPortBatchRules,
  interfaceRules,
  powerOutletBatchRules,
  rearPortRules,
} from './rules/components';
import {
  checkRackedDevicesOfTypes,
  deviceBayTemplateRules,
  deviceTypeRules,
  frontPortTemplateRules,
  powerOutletTemplateRules,
  rearPortTemplateRules,
} from './rules/device-types';
import { checkWrittenDevices, deviceRules, prefetchDeviceLookups, rackInLocation } from './rules/devices';
import { REDUNDANCY_MODELS, deviceRedundancyRule } from './redundancy/models';
import { poeRule } from './rules/poe';
import { childrenFollowParent, devicesFollowRack } from './rules/follow';
import { instantiateComponents } from './rules/instantiate';
import { instantiateInventoryItems } from './inventory/instantiate';
import { inventoryItemModel, inventoryItemTemplateModel } from './inventory/model';
import { locationRules, locationTypeRules, prefetchLocationTypes } from './rules/locations';
import { rackGroupRules, rackRules } from './rules/racks';
import { assignMaster, releaseMembers, virtualChassisRules } from './rules/virtual-chassis';
import { defaultStatus } from './statuses';
import {
  componentModuleFilters,
  deviceModuleFilters,
  deviceTypeModuleFilters,
  templateModuleFilters,
} from './modules/filters';
import { instantiateDeviceModuleBays } from './modules/instantiate';
import { moduleBayModel, moduleBayTemplateModel, moduleModel, moduleTypeModel } from './modules/models';
import { componentModuleRule, templateOwnerRule } from './modules/rules';
import { tables } from './tables';
import { powerDrawField } from './power/draw';
import { powerFeedModel, powerPanelModel } from './power/models';
import { rackReservationModel } from './rack-reservations/models';
import {
  SOFTWARE_MODELS,
  deviceSoftwareFilters,
  deviceSoftwareRules,
  deviceTypeSoftwareFilters,
} from './software';

/** Keep the naturalised `_name` column in step with `name`. */
function naturalName(ctx: RuleContext): void {
  const name = ctx.record.name;
  ctx.record._name = typeof name === 'string' && name ? naturalize(name) : null;
}

export const locationTypeModel = defineModel({
  entity: LocationType,
  app_label: 'dcim',
  model: 'locationtype',
  verbose_name: 'location type',
  features: ORGANIZATIONAL_FEATURES,
  tree_parent: 'parent',
  rules: locationTypeRules,
  list_fields: ['name', 'parent', 'nestable', 'content_types', 'description'],
});

export const locationModel = defineModel({
  entity: Location,
  app_label: 'dcim',
  model: 'location',
  features: [...PRIMARY_FEATURES, 'statuses', 'locations'],
  tree_parent: 'parent',
  natural_key: ['name', 'parent'],
  // "Region → Site → Building": the location's ancestry, computed in the list query itself.
  display: {
    sql: (t) => sql`(WITH RECURSIVE anc(id, parent_id, name, depth) AS (
        SELECT a.id, a.parent_id, a.name, 0 FROM ${tables.location} a WHERE a.id = ${t}."id"
        UNION ALL SELECT p.id, p.parent_id, p.name, anc.depth + 1 FROM ${tables.location} p JOIN anc ON p.id = anc.parent_id
      ) SELECT string_agg(anc.name, ' → ' ORDER BY anc.depth DESC) FROM anc)`,
  },
  rules: locationRules,
  filters: locationFilters,
  list_fields: ['name', 'location_type', 'parent', 'status', 'tenant', 'facility', 'description'],
});

export const rackGroupModel = defineModel({
  entity: RackGroup,
  app_label: 'dcim',
  model: 'rackgroup',
  verbose_name: 'rack group',
  features: [...ORGANIZATIONAL_FEATURES, 'locations'],
  tree_parent: 'parent',
  natural_key: ['name', 'location'],
  rules: rackGroupRules,
  list_fields: ['name', 'location', 'parent', 'description'],
});

export const rackModel = defineModel({
  entity: Rack,
  app_label: 'dcim',
  model: 'rack',
  features: [...PRIMARY_FEATURES, 'statuses', 'roles', 'locations'],
  natural_key: ['name', 'location'],
  rules: rackRules,
  hooks: { prepareMany: (ctxs) => prefetchLocationTypes(ctxs), afterUpdate: devicesFollowRack },
  filters: rackFilters,
  list_fields: ['name', 'location', 'rack_group', 'status', 'tenant', 'role', 'u_height'],
});

export const manufacturerModel = defineModel({
  entity: Manufacturer,
  app_label: 'dcim',
  model: 'manufacturer',
  features: ORGANIZATIONAL_FEATURES,
  list_fields: ['name', 'description'],
});

export const deviceTypeModel = defineModel({
  entity: DeviceType,
  app_label: 'dcim',
  model: 'devicetype',
  verbose_name: 'device type',
  features: PRIMARY_FEATURES,
  natural_key: ['manufacturer', 'model'],
  ordering: ['manufacturer', 'model'],
  search_fields: ['manufacturer'],
  display: {
    sql: (t) =>
      sql`(SELECT m.name FROM ${tables.manufacturer} m WHERE m.id = ${t}."manufacturer_id") || ' ' || ${t}."model"`,
  },
  rules: deviceTypeRules,
  hooks: { afterUpdate: checkRackedDevicesOfTypes },
  filters: { ...deviceTypeFilters, ...deviceTypeModuleFilters, ...deviceTypeSoftwareFilters },
  list_fields: ['model', 'manufacturer', 'part_number', 'u_height', 'is_full_depth', 'subdevice_role'],
});

export const platformModel = defineModel({
  entity: Platform,
  app_label: 'dcim',
  model: 'platform',
  features: ORGANIZATIONAL_FEATURES,
  list_fields: ['name', 'manufacturer', 'network_driver', 'napalm_driver', 'description'],
});

const TEMPLATE_FEATURES: readonly ModelFeature[] = ['custom_validators', 'changelog', 'graphql'];

/** Rules of a kind's templates beyond the generated model (Nautobot's `clean()` of each template). */
const TEMPLATE_RULES: Readonly<Record<string, ModelDefinition['rules']>> = {
  poweroutlet: powerOutletTemplateRules,
  frontport: frontPortTemplateRules,
  rearport: rearPortTemplateRules,
  devicebay: deviceBayTemplateRules,
  interface: [poeRule],
};

function templateModel(kind: ComponentKind): ModelDefinition {
  const modular = !kind.device_only;
  return defineModel({
    entity: templateEntities[kind.template_entity],
    app_label: 'dcim',
    model: kind.template_model,
    verbose_name: `${kind.verbose_name} template`,
    features: TEMPLATE_FEATURES,
    natural_key: ['device_type', 'name'],
    ordering: ['device_type', 'name'],
    related_object: 'device_type',
    rules: [...(modular ? [templateOwnerRule] : []), ...(TEMPLATE_RULES[kind.model] ?? [])],
    filters: { device_type: deviceTypeFilter, ...(modular ? templateModuleFilters : {}) },
    list_fields: [
      'name',
      'device_type',
      ...(modular ? ['module_type'] : []),
      'label',
      ...kind.template_fields,
    ],
  });
}

export const templateModels = COMPONENT_KINDS.map(templateModel);

export const deviceModel = defineModel({
  entity: Device,
  app_label: 'dcim',
  model: 'device',
  features: [...PRIMARY_FEATURES, 'statuses', 'roles', 'locations', 'config_context'],
  natural_key: ['name', 'location'],
  ordering: ['_name'],
  search_fields: ['device_type'],
  display: {
    sql: (t) =>
      sql`COALESCE(${t}."name", (SELECT dt.model FROM ${tables.deviceType} dt WHERE dt.id = ${t}."device_type_id") || ' (' || left(${t}."id"::text, 8) || ')')`,
  },
  rules: [...deviceRules, deviceRedundancyRule, ...deviceSoftwareRules],
  batch_rules: [rackInLocation],
  hooks: {
    prepareMany: prefetchDeviceLookups,
    prepare: naturalName,
    async afterCreate(ctx) {
      await checkWrittenDevices(ctx);
      await instantiateComponents(ctx);
      await instantiateDeviceModuleBays(ctx);
      await instantiateInventoryItems(ctx);
    },
    async afterUpdate(ctx) {
      await checkWrittenDevices(ctx);
      await childrenFollowParent(ctx);
    },
  },
  filters: { ...deviceFilters, ...deviceModuleFilters, ...deviceSoftwareFilters },
  list_fields: ['name', 'status', 'tenant', 'location', 'rack', 'role', 'device_type', 'primary_ip4'],
});

export const virtualChassisModel = defineModel({
  entity: VirtualChassis,
  app_label: 'dcim',
  model: 'virtualchassis',
  verbose_name: 'virtual chassis',
  verbose_name_plural: 'virtual chassis',
  // The plural is the singular: the list keeps Nautobot's name, the single query gets a suffix.
  graphql_names: { single: 'virtual_chassis_by_id' },
  features: PRIMARY_FEATURES,
  rules: virtualChassisRules,
  hooks: { afterCreate: assignMaster, beforeDelete: releaseMembers },
  filters: virtualChassisFilters,
  list_fields: ['name', 'domain', 'master'],
});

export const cableModel = defineModel({
  entity: Cable,
  app_label: 'dcim',
  model: 'cable',
  features: [...PRIMARY_FEATURES, 'statuses'],
  natural_key: [],
  ordering: ['created'],
  display: { sql: (t) => sql`COALESCE(NULLIF(${t}."label", ''), '#' || left(${t}."id"::text, 8))` },
  rules: cableRules,
  batch_rules: [checkCableEnds],
  hooks: { prepare: prepareCable, afterCreate: attachCableEnds, beforeDelete: detachCableEnds },
  filters: cableFilters,
  computed: [
    {
      name: 'termination_a',
      type: 'generic_ref',
      help_text: 'The object at end A',
      load: async (records) =>
        new Map(
          records.map((r) => [
            String(r.id),
            { object_type: String(r.termination_a_type), id: String(r.termination_a_id) },
          ]),
        ),
    },
    {
      name: 'termination_b',
      type: 'generic_ref',
      help_text: 'The object at end B',
      load: async (records) =>
        new Map(
          records.map((r) => [
            String(r.id),
            { object_type: String(r.termination_b_type), id: String(r.termination_b_id) },
          ]),
        ),
    },
  ],
  list_fields: [
    'label',
    'termination_a_type',
    'termination_a_id',
    'termination_b_type',
    'termination_b_id',
    'status',
    'type',
  ],
});

const COMPONENT_FEATURES: readonly ModelFeature[] = [...PRIMARY_FEATURES];

/** What a kind's model has beyond the generated one. */
interface ComponentOptions {
  rules?: ModelDefinition['rules'];
  batch_rules?: ModelDefinition['batch_rules'];
  prepare?: (ctx: RuleContext) => Promise<void>;
  features?: readonly ModelFeature[];
  filters?: ModelDefinition['filters'];
  computed?: ModelDefinition['computed'];
}

const COMPONENT_OPTIONS: Readonly<Record<string, ComponentOptions>> = {
  powerport: { computed: [powerDrawField] },
  poweroutlet: { batch_rules: powerOutletBatchRules },
  interface: {
    features: [...COMPONENT_FEATURES, 'statuses'],
    rules: interfaceRules,
    prepare: defaultStatus('Active'),
    filters: interfaceFilters,
  },
  frontport: { batch_rules: frontPortBatchRules },
  rearport: { rules: rearPortRules },
  devicebay: { rules: deviceBayRules },
};

function componentModel(kind: ComponentKind): ModelDefinition {
  const opts = COMPONENT_OPTIONS[kind.model] ?? {};
  const modular = !kind.device_only;
  const prepare = opts.prepare;
  return defineModel({
    entity: componentEntities[kind.entity],
    app_label: 'dcim',
    model: kind.model,
    verbose_name: kind.verbose_name,
    api_path: kind.slug,
    features: opts.features ?? COMPONENT_FEATURES,
    natural_key: ['device', 'name'],
    ordering: ['device_id', '_name'],
    related_object: 'device',
    search_fields: ['device'],
    display: {
      sql: (t) =>
        sql`COALESCE((SELECT d.name FROM ${tables.device} d WHERE d.id = ${t}."device_id"), '') || ' ' || ${t}."name"`,
    },
    rules: [...(modular ? [componentModuleRule] : []), ...(opts.rules ?? [])],
    batch_rules: opts.batch_rules,
    hooks: {
      prepare: prepare
        ? async (ctx) => {
            naturalName(ctx);
            await prepare(ctx);
          }
        : naturalName,
      ...(kind.cabled ? { beforeDelete: deleteAttachedCables } : {}),
    },
    filters: { ...(opts.filters ?? componentFilters(kind)), ...(modular ? componentModuleFilters : {}) },
    computed: [
      ...(kind.cabled ? cablePeerFields(kind.label) : []),
      ...(kind.path_endpoint ? connectedEndpointFields(kind.label) : []),
      ...(opts.computed ?? []),
    ],
    list_fields: [
      'device',
      'name',
      'label',
      ...(modular ? ['module'] : []),
      ...kind.list_fields,
      ...(kind.cabled ? ['cable'] : []),
    ],
  });
}

export const componentModels = COMPONENT_KINDS.map(componentModel);

export const DCIM_MODELS: ModelDefinition[] = [
  locationTypeModel,
  locationModel,
  rackGroupModel,
  rackModel,
  rackReservationModel,
  manufacturerModel,
  deviceTypeModel,
  moduleTypeModel,
  ...templateModels,
  moduleBayTemplateModel,
  inventoryItemTemplateModel,
  platformModel,
  ...SOFTWARE_MODELS,
  deviceModel,
  virtualChassisModel,
  cableModel,
  ...componentModels,
  powerPanelModel,
  powerFeedModel,
  moduleBayModel,
  moduleModel,
  ...REDUNDANCY_MODELS,
  inventoryItemModel,
];
