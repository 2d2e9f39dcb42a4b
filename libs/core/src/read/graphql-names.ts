import type { ModelMeta } from '@plinth/plugin-sdk';

/** What GraphQL accepts as a name (type, field or argument). */
export const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

/** `IP addresses` -> `ip_addresses` (Nautobot's `str_to_var_name`). */
export function snakeName(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** `DeviceType` for the entity `Device`, as Nautobot names its types. */
export function typeNameOf(model: ModelMeta): string {
  return `${model.entity.name}Type`;
}

/** The root query fields of a model: `device(id:)` and `devices(...)`. */
export function queryNamesOf(model: ModelMeta): { single: string; list: string } {
  const names = model.definition.graphql_names;
  return {
    single: names?.single ?? snakeName(model.verbose_name),
    list: names?.list ?? snakeName(model.verbose_name_plural),
  };
}
