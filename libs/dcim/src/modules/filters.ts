import { booleanFilter, sql, type FilterDefinition } from '@plinth/plugin-sdk';
import { MODULAR_KINDS } from '../components/kinds';
import { tables } from '../tables';
import { moduleBaysOnDevices, modulesOnDevices } from './placement';
import { moduleTables as mt } from './tables';

/** `module_type`: by id, `manufacturer;model`, or the model alone (as `device_type`). */
export const moduleTypeFilter: FilterDefinition = {
  label: 'Module type (ID, model, or manufacturer;model)',
  apply: (values, ctx) =>
    sql`${ctx.alias}."module_type_id" IN (${ctx.idsOf('dcim.moduletype', values)} UNION SELECT id FROM ${mt.moduleType} WHERE model = ANY(${values}::text[]))`,
};

/** `has_module_bays`: some module bay points at the object through `column`. */
function hasModuleBays(column: 'parent_device_id' | 'parent_module_id'): FilterDefinition {
  return booleanFilter(
    'Has module bays',
    (ctx) => sql`EXISTS (SELECT 1 FROM ${mt.moduleBay} b WHERE b.${sql.ident(column)} = ${ctx.alias}."id")`,
  );
}

/** `has_module_bay_templates` on device types and module types. */
function hasModuleBayTemplates(column: 'device_type_id' | 'module_type_id'): FilterDefinition {
  return booleanFilter(
    'Has module bay templates',
    (ctx) =>
      sql`EXISTS (SELECT 1 FROM ${mt.moduleBayTemplate} b WHERE b.${sql.ident(column)} = ${ctx.alias}."id")`,
  );
}

/** Filters modules add to devices. */
export const deviceModuleFilters: Record<string, FilterDefinition> = {
  has_module_bays: hasModuleBays('parent_device_id'),
  has_modules: booleanFilter(
    'Has modules installed',
    (ctx) =>
      sql`EXISTS (SELECT 1 FROM ${mt.module} m JOIN ${mt.moduleBay} b ON b.id = m.parent_module_bay_id WHERE b.parent_device_id = ${ctx.alias}."id")`,
  ),
};

/** Filters modules add to device types. */
export const deviceTypeModuleFilters: Record<string, FilterDefinition> = {
  has_module_bay_templates: hasModuleBayTemplates('device_type_id'),
};

/** `module` on a device component comes from the field; `has_module` tells module-borne ones apart. */
export const componentModuleFilters: Record<string, FilterDefinition> = {
  has_module: booleanFilter('Sits on a module', (ctx) => sql`${ctx.alias}."module_id" IS NOT NULL`),
};

/** Filters of every modular kind's templates. */
export const templateModuleFilters: Record<string, FilterDefinition> = { module_type: moduleTypeFilter };

export const moduleTypeFilters: Record<string, FilterDefinition> = {
  has_modules: booleanFilter(
    'Has modules',
    (ctx) => sql`EXISTS (SELECT 1 FROM ${mt.module} m WHERE m.module_type_id = ${ctx.alias}."id")`,
  ),
  has_module_bay_templates: hasModuleBayTemplates('module_type_id'),
  ...Object.fromEntries(
    MODULAR_KINDS.map((kind) => [
      `has_${kind.verbose_name_plural.replace(/ /g, '_')}_templates`,
      booleanFilter(
        `Has ${kind.verbose_name} templates`,
        (ctx) =>
          sql`EXISTS (SELECT 1 FROM ${sql.table(kind.template_label)} x WHERE x.module_type_id = ${ctx.alias}."id")`,
      ),
    ]),
  ),
};

export const moduleBayTemplateFilters: Record<string, FilterDefinition> = {
  module_type: moduleTypeFilter,
  device_type: {
    label: 'Device type (ID, model, or manufacturer;model)',
    apply: (values, ctx) =>
      sql`${ctx.alias}."device_type_id" IN (${ctx.idsOf('dcim.devicetype', values)} UNION SELECT id FROM ${tables.deviceType} WHERE model = ANY(${values}::text[]))`,
  },
};

export const moduleBayFilters: Record<string, FilterDefinition> = {
  device: {
    label: 'Device (name or ID): its module bays and those of the modules installed in it',
    apply: (values, ctx) =>
      sql`${ctx.alias}."id" IN (${moduleBaysOnDevices(ctx.idsOf('dcim.device', values))})`,
  },
  has_installed_module: booleanFilter(
    'A module is installed in it',
    (ctx) => sql`EXISTS (SELECT 1 FROM ${mt.module} m WHERE m.parent_module_bay_id = ${ctx.alias}."id")`,
  ),
};

export const moduleFilters: Record<string, FilterDefinition> = {
  module_type: moduleTypeFilter,
  manufacturer: {
    label: 'Manufacturer of the module type (name or ID)',
    apply: (values, ctx) => ctx.path('module_type.manufacturer', values),
  },
  device: {
    label: 'Device (name or ID) the module is installed in, at any depth',
    apply: (values, ctx) => sql`${ctx.alias}."id" IN (${modulesOnDevices(ctx.idsOf('dcim.device', values))})`,
  },
  parent_module: {
    label: 'Module (ID) whose module bay the module is installed in',
    type: 'uuid',
    apply: (values, ctx) =>
      sql`${ctx.alias}."parent_module_bay_id" IN (SELECT id FROM ${mt.moduleBay} WHERE parent_module_id = ANY(${values}::uuid[]))`,
  },
  is_installed: booleanFilter(
    'Installed in a module bay',
    (ctx) => sql`${ctx.alias}."parent_module_bay_id" IS NOT NULL`,
  ),
  has_module_bays: hasModuleBays('parent_module_id'),
};
