import type * as ComponentEntities from '../entities/devices';
import type * as TemplateEntities from '../entities/device-types';

/*
 * The device component kinds (ports, interfaces, bays) and their templates, in one table. Their
 * models, template instantiation, cable rules, filters, menu, device tabs, trace endpoints and
 * the device-type library format are derived from it: a new kind is a row here, its two entity
 * classes and a migration.
 *
 * Entities are named, not imported: the Cable entity's choices come from this table, and the
 * component entities point at Cable, so a value import would make a cycle. The names are checked
 * against the entity modules' exports at compile time.
 */

/** Exported names of the concrete classes of `M` that extend `Base`. */
type ClassNames<M, Base> = {
  [K in keyof M]: M[K] extends new (...args: never[]) => Base ? K : never;
}[keyof M];

export const CIRCUIT_TERMINATION = 'circuits.circuittermination';
/** Power feeds are cable terminations of dcim's own that are not device components. */
export const POWER_FEED = 'dcim.powerfeed';

/** A template's reference to another template of its device type, becoming the same link between components. */
export interface TemplateLink {
  /** The component's field (`power_port`); also the library format's key, naming the other template. */
  field: string;
  /** The kind (model name) the link points at. */
  kind: string;
}

export interface ComponentKindSpec {
  /** Model name: `consoleport` is `dcim.consoleport`, its template `dcim.consoleporttemplate`. */
  model: string;
  /**
   * `console port`. Its plural (`s` added) names the REST resource and the library format's key
   * (`console-ports`), the `has_console_ports` filter and the device page's table.
   */
  verbose_name: string;
  entity: ClassNames<typeof ComponentEntities, ComponentEntities.ComponentModel>;
  template_entity: ClassNames<
    typeof TemplateEntities,
    TemplateEntities.ComponentTemplateModel | TemplateEntities.DeviceBayTemplate
  >;
  /**
   * The template's fields beyond name, label and description, in the library format's order.
   * Each is copied to the component under its name, except links (see `links`).
   */
  template_fields: readonly string[];
  /** Template fields that point at another template (`power_port_template`). */
  links?: Readonly<Record<string, TemplateLink>>;
  /** Labels of what a cable from it may end on (Nautobot's COMPATIBLE_TERMINATION_TYPES); none: not cable-able. */
  cable_peers?: readonly string[];
  /** A cable path ends here (Nautobot's PathEndpoint); front and rear ports pass paths through. */
  path_endpoint?: boolean;
  /** Component list columns after device, name and label (`cable` is added for cable-able kinds). */
  list_fields: readonly string[];
  /** The device page shows it on a tab of its own (interfaces) instead of the Components tab. */
  own_device_tab?: boolean;
  /** Order of the components menu and of cable end choices (as Nautobot lists connections). */
  menu_weight: number;
  /** Device-type templates only and no `module` (device bays: a module holds no child devices). */
  device_only?: boolean;
}

export interface ComponentKind extends ComponentKindSpec {
  label: string;
  /** `consoleporttemplate`. */
  template_model: string;
  template_label: string;
  verbose_name_plural: string;
  /** `console-ports`: the REST resource and the library format's key. */
  slug: string;
  /** `has_console_ports` (on devices and device types). */
  has_filter: string;
  cabled: boolean;
}

/** Cable-able ports that patch panels connect (front and rear ports may be cabled to these). */
const PATCHABLE = ['dcim.consoleport', 'dcim.consoleserverport', 'dcim.interface'];
const PASS_THROUGH = ['dcim.frontport', 'dcim.rearport'];

const SPECS: readonly ComponentKindSpec[] = [
  {
    model: 'consoleport',
    verbose_name: 'console port',
    entity: 'ConsolePort',
    template_entity: 'ConsolePortTemplate',
    template_fields: ['type'],
    cable_peers: ['dcim.consoleserverport', ...PASS_THROUGH],
    path_endpoint: true,
    list_fields: ['type'],
    menu_weight: 400,
  },
  {
    model: 'consoleserverport',
    verbose_name: 'console server port',
    entity: 'ConsoleServerPort',
    template_entity: 'ConsoleServerPortTemplate',
    template_fields: ['type'],
    cable_peers: ['dcim.consoleport', ...PASS_THROUGH],
    path_endpoint: true,
    list_fields: ['type'],
    menu_weight: 500,
  },
  {
    model: 'powerport',
    verbose_name: 'power port',
    entity: 'PowerPort',
    template_entity: 'PowerPortTemplate',
    template_fields: ['type', 'maximum_draw', 'allocated_draw'],
    cable_peers: ['dcim.poweroutlet', POWER_FEED],
    path_endpoint: true,
    list_fields: ['type', 'maximum_draw', 'allocated_draw'],
    menu_weight: 600,
  },
  {
    model: 'poweroutlet',
    verbose_name: 'power outlet',
    entity: 'PowerOutlet',
    template_entity: 'PowerOutletTemplate',
    template_fields: ['type', 'power_port_template', 'feed_leg'],
    links: { power_port_template: { field: 'power_port', kind: 'powerport' } },
    cable_peers: ['dcim.powerport'],
    path_endpoint: true,
    list_fields: ['type', 'power_port', 'feed_leg'],
    menu_weight: 700,
  },
  {
    model: 'interface',
    verbose_name: 'interface',
    entity: 'Interface',
    template_entity: 'InterfaceTemplate',
    template_fields: ['type', 'mgmt_only', 'poe_mode', 'poe_type'],
    cable_peers: ['dcim.interface', ...PASS_THROUGH, CIRCUIT_TERMINATION],
    path_endpoint: true,
    list_fields: ['type', 'enabled', 'mgmt_only', 'mtu', 'mac_address', 'mode', 'lag'],
    own_device_tab: true,
    menu_weight: 100,
  },
  {
    model: 'frontport',
    verbose_name: 'front port',
    entity: 'FrontPort',
    template_entity: 'FrontPortTemplate',
    template_fields: ['type', 'rear_port_template', 'rear_port_position'],
    links: { rear_port_template: { field: 'rear_port', kind: 'rearport' } },
    cable_peers: [...PATCHABLE, ...PASS_THROUGH, CIRCUIT_TERMINATION],
    list_fields: ['type', 'rear_port', 'rear_port_position'],
    menu_weight: 200,
  },
  {
    model: 'rearport',
    verbose_name: 'rear port',
    entity: 'RearPort',
    template_entity: 'RearPortTemplate',
    template_fields: ['type', 'positions'],
    cable_peers: [...PATCHABLE, ...PASS_THROUGH, CIRCUIT_TERMINATION],
    list_fields: ['type', 'positions'],
    menu_weight: 300,
  },
  {
    model: 'devicebay',
    verbose_name: 'device bay',
    entity: 'DeviceBay',
    template_entity: 'DeviceBayTemplate',
    template_fields: [],
    list_fields: ['installed_device'],
    menu_weight: 800,
    device_only: true,
  },
];

function derive(spec: ComponentKindSpec): ComponentKind {
  const verbose_name_plural = `${spec.verbose_name}s`;
  const template_model = `${spec.model}template`;
  return Object.freeze({
    ...spec,
    label: `dcim.${spec.model}`,
    template_model,
    template_label: `dcim.${template_model}`,
    verbose_name_plural,
    slug: verbose_name_plural.replace(/ /g, '-'),
    has_filter: `has_${verbose_name_plural.replace(/ /g, '_')}`,
    cabled: !!spec.cable_peers,
  });
}

/** Every kind, in Nautobot's model order (the order of the API, GraphQL and the device page). */
export const COMPONENT_KINDS: readonly ComponentKind[] = SPECS.map(derive);

/** Every kind, in menu order. */
export const KINDS_BY_MENU: readonly ComponentKind[] = [...COMPONENT_KINDS].sort(
  (a, b) => a.menu_weight - b.menu_weight,
);

/** The kinds a module type may have templates of, and modules components of. */
export const MODULAR_KINDS: readonly ComponentKind[] = COMPONENT_KINDS.filter((k) => !k.device_only);

/** The kinds a cable can end on, in menu order. */
export const CABLED_KINDS: readonly ComponentKind[] = KINDS_BY_MENU.filter((k) => k.cabled);

/**
 * The kinds in an order where every kind comes after the kinds its templates link to (power
 * ports before power outlets, rear ports before front ports), for writes that resolve links.
 */
export const KINDS_BY_DEPENDENCY: readonly ComponentKind[] = (() => {
  const done: ComponentKind[] = [];
  const pending = [...COMPONENT_KINDS];
  while (pending.length) {
    const i = pending.findIndex((k) =>
      Object.values(k.links ?? {}).every((l) => done.some((d) => d.model === l.kind)),
    );
    if (i < 0)
      throw new Error(
        `component kinds: template links form a cycle (${pending.map((k) => k.model).join(', ')})`,
      );
    done.push(...pending.splice(i, 1));
  }
  return done;
})();
