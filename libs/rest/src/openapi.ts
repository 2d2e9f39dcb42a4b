import { CoreModels, type FieldMeta, type ModelMeta } from '@plinth/plugin-sdk';
import { type ModelRegistry, type FilterEngine, type FilterSpec, isRequired } from '@plinth/core';

type Schema = Record<string, unknown>;

export interface OpenApiDocument {
  openapi: string;
  info: Record<string, unknown>;
  paths: Record<string, Record<string, unknown>>;
  components?: { schemas?: Record<string, Schema>; securitySchemes?: Record<string, unknown> };
  tags?: { name: string; description?: string }[];
  security?: Record<string, string[]>[];
  [key: string]: unknown;
}

function schemaName(model: ModelMeta): string {
  return model.label.replace(/(^|[._])(\w)/g, (_m, _s, c: string) => c.toUpperCase());
}

const REF_SCHEMA: Schema = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    object_type: { type: 'string' },
    url: { type: 'string', format: 'uri', nullable: true },
  },
};

/** A reference as clients may submit it: uuid, URL, natural key, or attribute dict. */
const REF_INPUT: Schema = {
  oneOf: [
    { type: 'string', description: 'UUID, URL or natural key' },
    { type: 'object', additionalProperties: true, description: 'Attributes identifying exactly one object' },
  ],
};

function scalarSchema(f: FieldMeta, forInput: boolean): Schema {
  const base: Schema = {};
  switch (f.kind) {
    case 'integer':
      Object.assign(base, { type: 'integer' });
      if (f.min_value !== undefined) base.minimum = f.min_value;
      if (f.max_value !== undefined) base.maximum = f.max_value;
      break;
    case 'float':
    case 'decimal':
      base.type = 'number';
      break;
    case 'boolean':
      base.type = 'boolean';
      break;
    case 'uuid':
      Object.assign(base, { type: 'string', format: 'uuid' });
      break;
    case 'datetime':
      Object.assign(base, { type: 'string', format: 'date-time' });
      break;
    case 'date':
      Object.assign(base, { type: 'string', format: 'date' });
      break;
    case 'json':
      return { description: f.help_text, nullable: f.nullable };
    case 'choice': {
      const values = (f.choices ?? []).map((c) => c.value);
      if (forInput) Object.assign(base, { type: 'string', enum: values });
      else {
        Object.assign(base, {
          type: 'object',
          properties: { value: { type: 'string', enum: values }, label: { type: 'string' } },
        });
      }
      break;
    }
    case 'array':
      Object.assign(base, {
        type: 'array',
        items:
          f.item === 'integer'
            ? { type: 'integer' }
            : { type: 'string', ...(f.choices ? { enum: f.choices.map((c) => c.value) } : {}) },
      });
      break;
    case 'fk':
      return forInput ? { ...REF_INPUT, nullable: f.nullable } : { ...REF_SCHEMA, nullable: f.nullable };
    case 'm2m':
      return { type: 'array', items: forInput ? REF_INPUT : REF_SCHEMA };
    default:
      base.type = 'string';
      if (f.max_length) base.maxLength = f.max_length;
      if (f.kind === 'cidr') base.description = 'IP network, e.g. 10.0.0.0/24';
      if (f.kind === 'inet') base.description = 'IP address with prefix length, e.g. 10.0.0.1/24';
      if (f.kind === 'mac') base.description = 'MAC address';
  }
  if (f.help_text) base.description = f.help_text;
  if (f.nullable) base.nullable = true;
  if (f.read_only && !forInput) base.readOnly = true;
  return base;
}

function modelSchemas(model: ModelMeta): Record<string, Schema> {
  const name = schemaName(model);
  const props: Record<string, Schema> = {
    id: { type: 'string', format: 'uuid', readOnly: true },
    object_type: { type: 'string', readOnly: true },
    display: { type: 'string', readOnly: true },
    url: { type: 'string', format: 'uri', readOnly: true },
  };
  const input: Record<string, Schema> = {};
  const required: string[] = [];
  for (const f of model.fields) {
    if (f.name === 'id') continue;
    if (!f.write_only) props[f.name] = scalarSchema(f, false);
    if (!f.read_only) {
      input[f.name] = scalarSchema(f, true);
      if (isRequired(f)) required.push(f.name);
    }
  }
  for (const c of model.definition.computed ?? []) {
    const types: Record<string, Schema> = {
      string: { type: 'string' },
      integer: { type: 'integer' },
      number: { type: 'number' },
      boolean: { type: 'boolean' },
      json: {},
      ref: REF_SCHEMA,
      generic_ref: REF_SCHEMA,
      refs: { type: 'array', items: REF_SCHEMA },
      generic_refs: { type: 'array', items: REF_SCHEMA },
    };
    props[c.name] = {
      ...types[c.type],
      readOnly: true,
      nullable: true,
      ...(c.help_text
        ? { description: `${c.help_text}${c.detail_only ? ' (detail responses only)' : ''}` }
        : {}),
    };
  }
  return {
    [name]: { type: 'object', properties: props },
    [`Writable${name}`]: { type: 'object', properties: input, ...(required.length ? { required } : {}) },
    [`Paginated${name}List`]: {
      type: 'object',
      properties: {
        count: { type: 'integer', nullable: true, description: 'Exact; null on cursor pages.' },
        next: { type: 'string', format: 'uri', nullable: true },
        previous: { type: 'string', format: 'uri', nullable: true },
        results: { type: 'array', items: { $ref: `#/components/schemas/${name}` } },
      },
    },
  };
}

function filterParam(spec: FilterSpec): Schema {
  const typeMap: Record<string, Schema> = {
    integer: { type: 'integer' },
    number: { type: 'number' },
    boolean: { type: 'boolean' },
    uuid: { type: 'string', format: 'uuid' },
    datetime: { type: 'string', format: 'date-time' },
    date: { type: 'string', format: 'date' },
    string: { type: 'string' },
  };
  return {
    name: spec.name,
    in: 'query',
    required: false,
    style: 'form',
    explode: true,
    schema: { type: 'array', items: typeMap[spec.type] ?? { type: 'string' } },
    ...(spec.help_text ? { description: spec.help_text } : {}),
  };
}

const LIST_PARAMS: Schema[] = [
  {
    name: 'limit',
    in: 'query',
    schema: { type: 'integer' },
    description: 'Page size (default 50, max 1000; 0 = max).',
  },
  { name: 'offset', in: 'query', schema: { type: 'integer' } },
  {
    name: 'cursor',
    in: 'query',
    schema: { type: 'string' },
    description:
      "Keyset paging: empty for the first page, then the cursor of the previous page's `next` link. Not with `offset`; such pages have `count` and `previous` null.",
  },
  {
    name: 'sort',
    in: 'query',
    schema: { type: 'string' },
    description: 'Field(s) to order by, `-` for descending.',
  },
  { name: 'q', in: 'query', schema: { type: 'string' }, description: 'Free-text search.' },
  {
    name: 'export',
    in: 'query',
    schema: { type: 'string' },
    description:
      'Render the filtered list with the export template of this name (`csv`: the list as CSV); the response is the rendered file.',
  },
];
const DEPTH_PARAM: Schema = {
  name: 'depth',
  in: 'query',
  schema: { type: 'integer', minimum: 0, maximum: 3 },
  description: 'Related objects as references (0) or nested objects (1-3).',
};
const ID_PARAM: Schema = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string', format: 'uuid' },
};
const ERROR_RESPONSES = {
  '400': { description: 'Invalid input: `{field: [message]}` (a list of them for bulk writes)' },
  '403': { description: 'Not authenticated or not permitted' },
};

/** OpenAPI paths and schemas for every model's generated endpoints. */
export function modelOpenApi(
  models: ModelRegistry,
  filters: FilterEngine,
): Pick<OpenApiDocument, 'paths' | 'components' | 'tags'> {
  const paths: OpenApiDocument['paths'] = {};
  const schemas: Record<string, Schema> = {};
  const tags = new Set<string>();
  for (const model of models.all()) {
    if (!model.api_path) continue;
    const name = schemaName(model);
    Object.assign(schemas, modelSchemas(model));
    const tag = model.api_path.startsWith('/api/plugins/') ? 'plugins' : model.app_label;
    tags.add(tag);
    const ref = { $ref: `#/components/schemas/${name}` };
    const writable = { $ref: `#/components/schemas/Writable${name}` };
    const json = (schema: Schema) => ({ 'application/json': { schema } });
    const op = (summary: string, action: string, extra: Schema): Schema => ({
      tags: [tag],
      summary,
      operationId: `${model.label.replace('.', '_')}_${action}`,
      ...extra,
    });
    const list: Record<string, unknown> = {
      get: op(`List ${model.verbose_name_plural}`, 'list', {
        parameters: [...LIST_PARAMS, DEPTH_PARAM, ...filters.describe(model).map(filterParam)],
        responses: {
          '200': {
            description: 'A page of objects',
            content: json({ $ref: `#/components/schemas/Paginated${name}List` }),
          },
          ...ERROR_RESPONSES,
        },
      }),
    };
    const detail: Record<string, unknown> = {
      get: op(`Retrieve ${model.verbose_name}`, 'retrieve', {
        parameters: [ID_PARAM, DEPTH_PARAM],
        responses: {
          '200': { description: 'The object', content: json(ref) },
          '404': { description: 'Not found' },
        },
      }),
    };
    if (!model.read_only) {
      Object.assign(list, {
        post: op(`Create ${model.verbose_name_plural}`, 'create', {
          description: 'Send one object, or a list of objects (created atomically).',
          requestBody: {
            required: true,
            content: json({ oneOf: [writable, { type: 'array', items: writable }] }),
          },
          responses: {
            '201': { description: 'Created', content: json({ oneOf: [ref, { type: 'array', items: ref }] }) },
            ...ERROR_RESPONSES,
          },
        }),
        put: op(`Bulk update ${model.verbose_name_plural}`, 'bulk_update', {
          requestBody: { required: true, content: json({ type: 'array', items: writable }) },
          responses: {
            '200': { description: 'Updated', content: json({ type: 'array', items: ref }) },
            ...ERROR_RESPONSES,
          },
        }),
        patch: op(`Bulk partial update ${model.verbose_name_plural}`, 'bulk_partial_update', {
          requestBody: { required: true, content: json({ type: 'array', items: writable }) },
          responses: {
            '200': { description: 'Updated', content: json({ type: 'array', items: ref }) },
            ...ERROR_RESPONSES,
          },
        }),
        delete: op(`Bulk delete ${model.verbose_name_plural}`, 'bulk_destroy', {
          requestBody: {
            required: true,
            content: json({
              type: 'array',
              items: { type: 'object', properties: { id: { type: 'string', format: 'uuid' } } },
            }),
          },
          responses: {
            '204': { description: 'Deleted' },
            '409': { description: 'Referenced by protected objects' },
            ...ERROR_RESPONSES,
          },
        }),
      });
      Object.assign(detail, {
        put: op(`Update ${model.verbose_name}`, 'update', {
          parameters: [ID_PARAM],
          requestBody: { required: true, content: json(writable) },
          responses: { '200': { description: 'Updated', content: json(ref) }, ...ERROR_RESPONSES },
        }),
        patch: op(`Partially update ${model.verbose_name}`, 'partial_update', {
          parameters: [ID_PARAM],
          requestBody: { required: true, content: json(writable) },
          responses: { '200': { description: 'Updated', content: json(ref) }, ...ERROR_RESPONSES },
        }),
        delete: op(`Delete ${model.verbose_name}`, 'destroy', {
          parameters: [ID_PARAM],
          responses: {
            '204': { description: 'Deleted' },
            '409': { description: 'Referenced by protected objects' },
            '404': { description: 'Not found' },
          },
        }),
      });
    }
    paths[model.api_path] = list;
    paths[`${model.api_path}{id}/`] = detail;
    const notes = models.get(CoreModels.note.label);
    if (notes && model.has('notes')) {
      const note = schemaName(notes);
      paths[`${model.api_path}{id}/notes/`] = {
        get: op(`List the notes of a ${model.verbose_name}`, 'notes_list', {
          parameters: [ID_PARAM, ...LIST_PARAMS, DEPTH_PARAM],
          responses: {
            '200': {
              description: 'A page of notes, newest first',
              content: json({ $ref: `#/components/schemas/Paginated${note}List` }),
            },
            '404': { description: 'Not found' },
            ...ERROR_RESPONSES,
          },
        }),
        post: op(`Add notes to a ${model.verbose_name}`, 'notes_create', {
          description: 'One note or a list (created atomically); the author is the requesting user.',
          parameters: [ID_PARAM],
          requestBody: {
            required: true,
            content: json({
              oneOf: [
                { type: 'object', required: ['note'], properties: { note: { type: 'string' } } },
                {
                  type: 'array',
                  items: { type: 'object', required: ['note'], properties: { note: { type: 'string' } } },
                },
              ],
            }),
          },
          responses: {
            '201': { description: 'Created', content: json({ $ref: `#/components/schemas/${note}` }) },
            '404': { description: 'Not found' },
            ...ERROR_RESPONSES,
          },
        }),
      };
    }
  }
  return { paths, components: { schemas }, tags: [...tags].sort().map((name) => ({ name })) };
}
