import {
  ORGANIZATIONAL_FEATURES,
  PRIMARY_FEATURES,
  defineModel,
  sql,
  type ModelDefinition,
  type ModelFeature,
  type RuleContext,
} from '@plinth/plugin-sdk';
import {
  ConsolePortTemplate,
  ConsoleServerPortTemplate,
  DeviceBayTemplate,
  DeviceType,
  FrontPortTemplate,
  InterfaceTemplate,
  Manufacturer,
  Platform,
  PowerOutletTemplate,
  PowerPortTemplate,
  RearPortTemplate,
} from './entities/device-types';
import {
  Cable,
  ConsolePort,
  ConsoleServerPort,
  Device,
  DeviceBay,
  FrontPort,
  Interface,
  PowerOutlet,
  PowerPort,
  RearPort,
  VirtualChassis,
} from './entities/devices';
import { Location, LocationType, Rack, RackGroup } from './entities/locations';
import { naturalize } from './naturalize';
import {
  attachCableEnds,
  cableRules,
  deleteAttachedCables,
  detachCableEnds,
  prepareCable,
} from './cables/cables';
import {
  cableFilters,
  componentFilters,
  componentLocationFilter,
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
  frontPortRules,
  interfaceRules,
  powerOutletRules,
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
import { checkWrittenDevices, deviceRules } from './rules/devices';
import { childrenFollowParent, devicesFollowRack } from './rules/follow';
import { instantiateComponents } from './rules/instantiate';
import { locationRules, locationTypeRules } from './rules/locations';
import { rackGroupRules, rackRules } from './rules/racks';
import { assignMaster, releaseMembers, virtualChassisRules } from './rules/virtual-chassis';
import { defaultStatus } from './statuses';

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
        SELECT a.id, a.parent_id, a.name, 0 FROM dcim_location a WHERE a.id = ${t}."id"
        UNION ALL SELECT p.id, p.parent_id, p.name, anc.depth + 1 FROM dcim_location p JOIN anc ON p.id = anc.parent_id
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
  hooks: { afterUpdate: devicesFollowRack },
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
      sql`(SELECT m.name FROM dcim_manufacturer m WHERE m.id = ${t}."manufacturer_id") || ' ' || ${t}."model"`,
  },
  rules: deviceTypeRules,
  hooks: { afterUpdate: checkRackedDevicesOfTypes },
  filters: deviceTypeFilters,
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

function templateModel(
  entity: Function,
  model: string,
  verbose_name: string,
  list: string[],
  rules: ModelDefinition['rules'] = [],
): ModelDefinition {
  return defineModel({
    entity: entity as ModelDefinition['entity'],
    app_label: 'dcim',
    model,
    verbose_name,
    features: TEMPLATE_FEATURES,
    natural_key: ['device_type', 'name'],
    ordering: ['device_type', 'name'],
    related_object: 'device_type',
    rules,
    filters: { device_type: deviceTypeFilter },
    list_fields: ['name', 'device_type', ...list],
  });
}

export const templateModels = [
  templateModel(ConsolePortTemplate, 'consoleporttemplate', 'console port template', ['label', 'type']),
  templateModel(ConsoleServerPortTemplate, 'consoleserverporttemplate', 'console server port template', [
    'label',
    'type',
  ]),
  templateModel(PowerPortTemplate, 'powerporttemplate', 'power port template', [
    'label',
    'type',
    'maximum_draw',
    'allocated_draw',
  ]),
  templateModel(
    PowerOutletTemplate,
    'poweroutlettemplate',
    'power outlet template',
    ['label', 'type', 'power_port_template', 'feed_leg'],
    powerOutletTemplateRules,
  ),
  templateModel(InterfaceTemplate, 'interfacetemplate', 'interface template', ['label', 'type', 'mgmt_only']),
  templateModel(
    FrontPortTemplate,
    'frontporttemplate',
    'front port template',
    ['label', 'type', 'rear_port_template', 'rear_port_position'],
    frontPortTemplateRules,
  ),
  templateModel(
    RearPortTemplate,
    'rearporttemplate',
    'rear port template',
    ['label', 'type', 'positions'],
    rearPortTemplateRules,
  ),
  templateModel(
    DeviceBayTemplate,
    'devicebaytemplate',
    'device bay template',
    ['label'],
    deviceBayTemplateRules,
  ),
];

export const deviceModel = defineModel({
  entity: Device,
  app_label: 'dcim',
  model: 'device',
  features: [...PRIMARY_FEATURES, 'statuses', 'roles', 'locations'],
  natural_key: ['name', 'location'],
  ordering: ['_name'],
  search_fields: ['device_type'],
  display: {
    sql: (t) =>
      sql`COALESCE(${t}."name", (SELECT dt.model FROM dcim_devicetype dt WHERE dt.id = ${t}."device_type_id") || ' (' || left(${t}."id"::text, 8) || ')')`,
  },
  rules: deviceRules,
  hooks: {
    prepare: naturalName,
    async afterCreate(ctx) {
      await checkWrittenDevices(ctx);
      await instantiateComponents(ctx);
    },
    async afterUpdate(ctx) {
      await checkWrittenDevices(ctx);
      await childrenFollowParent(ctx);
    },
  },
  filters: deviceFilters,
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

interface ComponentOptions {
  rules?: ModelDefinition['rules'];
  /** A cable can end on it: `cable_peer`, cable filters, its cable goes when it goes. */
  cabled?: boolean;
  /** A cable path can end on it: `connected_endpoint`, the `connected` filter. */
  endpoint?: boolean;
  prepare?: (ctx: RuleContext) => Promise<void>;
  features?: readonly ModelFeature[];
  filters?: ModelDefinition['filters'];
}

function componentModel(
  entity: Function,
  model: string,
  verbose_name: string,
  list: string[],
  opts: ComponentOptions = {},
): ModelDefinition {
  const label = `dcim.${model}`;
  const prepare = opts.prepare;
  return defineModel({
    entity: entity as ModelDefinition['entity'],
    app_label: 'dcim',
    model,
    verbose_name,
    features: opts.features ?? COMPONENT_FEATURES,
    natural_key: ['device', 'name'],
    ordering: ['device_id', '_name'],
    related_object: 'device',
    search_fields: ['device'],
    display: {
      sql: (t) =>
        sql`COALESCE((SELECT d.name FROM dcim_device d WHERE d.id = ${t}."device_id"), '') || ' ' || ${t}."name"`,
    },
    rules: opts.rules,
    hooks: {
      prepare: prepare
        ? async (ctx) => {
            naturalName(ctx);
            await prepare(ctx);
          }
        : naturalName,
      ...(opts.cabled ? { beforeDelete: deleteAttachedCables } : {}),
    },
    filters:
      opts.filters ??
      (opts.cabled ? componentFilters(label, !!opts.endpoint) : { location: componentLocationFilter }),
    computed: [
      ...(opts.cabled ? cablePeerFields(label) : []),
      ...(opts.endpoint ? connectedEndpointFields(label) : []),
    ],
    list_fields: ['device', 'name', 'label', ...list],
  });
}

const endpoint = { cabled: true, endpoint: true };

export const consolePortModel = componentModel(
  ConsolePort,
  'consoleport',
  'console port',
  ['type', 'cable'],
  endpoint,
);
export const consoleServerPortModel = componentModel(
  ConsoleServerPort,
  'consoleserverport',
  'console server port',
  ['type', 'cable'],
  endpoint,
);
export const powerPortModel = componentModel(
  PowerPort,
  'powerport',
  'power port',
  ['type', 'maximum_draw', 'allocated_draw', 'cable'],
  endpoint,
);
export const powerOutletModel = componentModel(
  PowerOutlet,
  'poweroutlet',
  'power outlet',
  ['type', 'power_port', 'feed_leg', 'cable'],
  {
    ...endpoint,
    rules: powerOutletRules,
  },
);
export const interfaceModel = componentModel(
  Interface,
  'interface',
  'interface',
  ['type', 'enabled', 'mgmt_only', 'mtu', 'mac_address', 'mode', 'lag', 'cable'],
  {
    ...endpoint,
    features: [...COMPONENT_FEATURES, 'statuses'],
    rules: interfaceRules,
    prepare: defaultStatus('Active'),
    filters: interfaceFilters,
  },
);
export const frontPortModel = componentModel(
  FrontPort,
  'frontport',
  'front port',
  ['type', 'rear_port', 'rear_port_position', 'cable'],
  {
    cabled: true,
    rules: frontPortRules,
  },
);
export const rearPortModel = componentModel(
  RearPort,
  'rearport',
  'rear port',
  ['type', 'positions', 'cable'],
  {
    cabled: true,
    rules: rearPortRules,
  },
);
export const deviceBayModel = componentModel(DeviceBay, 'devicebay', 'device bay', ['installed_device'], {
  rules: deviceBayRules,
});

export const DCIM_MODELS: ModelDefinition[] = [
  locationTypeModel,
  locationModel,
  rackGroupModel,
  rackModel,
  manufacturerModel,
  deviceTypeModel,
  ...templateModels,
  platformModel,
  deviceModel,
  virtualChassisModel,
  cableModel,
  consolePortModel,
  consoleServerPortModel,
  powerPortModel,
  powerOutletModel,
  interfaceModel,
  frontPortModel,
  rearPortModel,
  deviceBayModel,
];
