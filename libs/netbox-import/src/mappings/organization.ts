import { MappingError, pick, Skip, type MapContext, type ModelMapping, type PlinthInput } from '../mapping';
import { rowsBy, rowsOf, type NetboxRow } from '../source/types';

/** NetBox custom field types → Nautobot's (NetBox's `longtext` is Markdown there too). */
const CUSTOM_FIELD_TYPES: Record<string, string> = {
  text: 'text',
  longtext: 'markdown',
  integer: 'integer',
  boolean: 'boolean',
  date: 'date',
  url: 'url',
  json: 'json',
  select: 'select',
  multiselect: 'multi-select',
};

/** Plinth labels of NetBox content types (`[dcim, site]` → `dcim.location`). */
const CONTENT_TYPES: Record<string, string> = {
  'dcim.site': 'dcim.location',
  'dcim.region': 'dcim.location',
  'dcim.sitegroup': 'dcim.location',
  'dcim.devicerole': 'extras.role',
  'dcim.rackrole': 'extras.role',
  'ipam.role': 'extras.role',
  'ipam.aggregate': 'ipam.prefix',
  'auth.user': 'users.user',
  'auth.group': 'users.group',
};

export function contentType(ct: unknown, ctx: MapContext): string | null {
  if (!Array.isArray(ct)) return null;
  const netbox = ct.join('.');
  const label = CONTENT_TYPES[netbox] ?? netbox;
  return ctx.hasModel(label) ? label : null;
}

/** Custom field values keyed as Plinth keys them (NetBox names are already valid keys). */
export function customFields(row: NetboxRow): PlinthInput {
  const data = row.fields.custom_field_data;
  if (!data || typeof data !== 'object') return {};
  const values = Object.fromEntries(Object.entries(data as object).filter(([, v]) => v !== null));
  return Object.keys(values).length ? { custom_fields: values } : {};
}

/** Tags and custom field values: on every primary model that has them in NetBox. */
export function extras(row: NetboxRow, ctx: MapContext): PlinthInput {
  const tags = ctx.tags(row);
  return { ...(tags.length ? { tags } : {}), ...customFields(row) };
}

export const organizationMappings: ModelMapping[] = [
  {
    netbox: 'extras.tag',
    target: 'extras.tag',
    fields: ['name', 'slug', 'color', 'description', 'object_types'],
    map(row, ctx) {
      // Nautobot's tags name the models they apply to: those NetBox tagged with them.
      const types = new Set<string>();
      for (const t of rowsBy(ctx.data, 'extras.taggeditem', 'tag', (x) => String(x.fields.tag)).get(row.pk) ??
        []) {
        const label = contentType(t.fields.content_type, ctx);
        if (label) types.add(label);
      }
      return { ...pick(row, ['name', 'color', 'description']), content_types: [...types].sort() };
    },
  },
  {
    netbox: 'extras.customfield',
    target: 'extras.customfield',
    fields: [
      'type',
      'name',
      'label',
      'group_name',
      'description',
      'required',
      'filter_logic',
      'default',
      'weight',
      'validation_minimum',
      'validation_maximum',
      'validation_regex',
      'choices',
      'content_types',
      'search_weight',
      'ui_visibility',
      'ui_visible',
      'ui_editable',
      'unique',
      'is_cloneable',
      'choice_set',
      'comments',
      'related_object_type',
      'related_object_filter',
    ],
    map(row, ctx) {
      const f = row.fields;
      const type = CUSTOM_FIELD_TYPES[String(f.type)];
      if (!type) return new Skip(`custom field type "${String(f.type)}" has no Plinth equivalent`);
      if (f.ui_visibility && f.ui_visibility !== 'read-write')
        ctx.dropped(row, 'ui_visibility', 'Plinth custom fields are always shown and editable');
      // NetBox 4's split of the same setting.
      if (f.ui_visible && f.ui_visible !== 'always')
        ctx.dropped(row, 'ui_visible', 'Plinth custom fields are always shown');
      if (f.ui_editable && f.ui_editable !== 'yes')
        ctx.dropped(row, 'ui_editable', 'Plinth custom fields are always editable');
      if (f.unique) ctx.dropped(row, 'unique', 'Plinth has no unique custom fields');
      const types = (Array.isArray(f.content_types) ? f.content_types : [])
        .map((ct) => contentType(ct, ctx))
        .filter((l): l is string => !!l);
      return {
        key: f.name,
        label: f.label || f.name,
        type,
        grouping: f.group_name ?? '',
        description: f.description ?? '',
        required: !!f.required,
        filter_logic: f.filter_logic ?? 'loose',
        default: f.default ?? null,
        weight: f.weight ?? 100,
        validation_minimum: f.validation_minimum ?? null,
        validation_maximum: f.validation_maximum ?? null,
        validation_regex: f.validation_regex ?? '',
        content_types: types,
      };
    },
    async finish(ctx) {
      // NetBox 3.x keeps select choices on the field itself.
      let made = 0;
      for (const row of rowsOf(ctx.data, 'extras.customfield')) {
        const choices = Array.isArray(row.fields.choices) ? (row.fields.choices as string[]) : [];
        const field = choices.length ? ctx.ref('extras.customfield', row.pk, 'choices') : null;
        for (const [i, value] of choices.entries()) {
          await ctx.ensure(
            'extras.customfieldchoice',
            { custom_field: field!, value },
            {
              custom_field: field,
              value,
              weight: (i + 1) * 100,
            },
          );
          made++;
        }
      }
      return made ? `${made} select choice(s) kept` : undefined;
    },
  },
  {
    netbox: 'tenancy.tenantgroup',
    target: 'tenancy.tenantgroup',
    tree: 'parent',
    fields: ['name', 'slug', 'parent', 'description'],
    map: (row, ctx) => ({
      ...pick(row, ['name', 'description']),
      parent: ctx.ref('tenancy.tenantgroup', row.fields.parent, 'parent'),
    }),
  },
  {
    netbox: 'tenancy.tenant',
    target: 'tenancy.tenant',
    fields: ['name', 'slug', 'group', 'description', 'comments'],
    map: (row, ctx) => ({
      ...pick(row, ['name', 'description', 'comments']),
      tenant_group: ctx.ref('tenancy.tenantgroup', row.fields.group, 'group'),
      ...extras(row, ctx),
    }),
  },
  {
    netbox: 'auth.group',
    target: 'users.group',
    fields: ['name', 'permissions'],
    map(row, ctx) {
      if (Array.isArray(row.fields.permissions) && row.fields.permissions.length)
        ctx.dropped(row, 'permissions', 'Django model permissions: Plinth grants through object permissions');
      return { name: row.fields.name };
    },
    match: async (input, _row, ctx) => {
      const [g] = await ctx.objects.find('users.group', { name: String(input.name) }, { limit: 1 });
      return g ? { id: g.id, update: false, note: 'groups of the same name were kept' } : undefined;
    },
  },
  {
    netbox: 'auth.user',
    target: 'users.user',
    fields: [
      'username',
      'first_name',
      'last_name',
      'email',
      'is_active',
      'is_staff',
      'is_superuser',
      'groups',
      'password',
      'last_login',
      'date_joined',
      'user_permissions',
    ],
    map(row, ctx) {
      if (Array.isArray(row.fields.user_permissions) && row.fields.user_permissions.length)
        ctx.dropped(
          row,
          'user_permissions',
          'Django model permissions: Plinth grants through object permissions',
        );
      // No password comes across: the user sets one (an admin resets it) before logging in.
      return {
        ...pick(row, [
          'username',
          'first_name',
          'last_name',
          'email',
          'is_active',
          'is_staff',
          'is_superuser',
        ]),
        groups: ctx.refs('auth.group', row.fields.groups, 'groups'),
      };
    },
    match: async (input, _row, ctx) => {
      const [u] = await ctx.objects.find('users.user', { username: String(input.username) }, { limit: 1 });
      if (!u) return undefined;
      return { id: u.id, update: false, note: 'existing users of the same username were kept as they are' };
    },
  },
];

/** A required reference: a MappingError when NetBox has none. */
export function required(id: string | null, field: string): string {
  if (!id) throw new MappingError(field, 'required, and NetBox has none');
  return id;
}
