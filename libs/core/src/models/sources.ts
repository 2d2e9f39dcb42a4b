import type { ComputedContext, ComputedField, FieldSource, ModelMeta } from '@plinth/plugin-sdk';
import type { StoredRecord } from './values';

/**
 * Field sources (values kept outside a model's declared fields) as the read side needs them:
 * column-backed values come with the row (records carry them under the source's name), the
 * others are loaded per batch of objects, one `load` per batch.
 */

/** The sources a read shows: every non-optional one, and the optional ones asked for. */
export function shownSources(model: ModelMeta, include: readonly string[] = []): FieldSource[] {
  return model.sources.filter((s) => !s.optional || include.includes(s.name));
}

/** Values of one source for a batch of records. */
export async function loadSource(
  source: FieldSource,
  records: readonly StoredRecord[],
  ctx: ComputedContext,
): Promise<Map<string, unknown>> {
  if (source.column || !source.load) return new Map(records.map((r) => [r.id, r[source.name] ?? null]));
  return source.load(records, ctx);
}

/** A source as a computed field (GraphQL builds its fields from computed fields). */
export function sourceAsComputed(source: FieldSource): ComputedField {
  const kind = source.field.kind;
  const type: ComputedField['type'] =
    kind === 'integer'
      ? 'integer'
      : kind === 'float' || kind === 'decimal'
        ? 'number'
        : kind === 'boolean'
          ? 'boolean'
          : kind === 'json' || kind === 'array'
            ? 'json'
            : 'string';
  return {
    name: source.name,
    label: source.field.label,
    help_text: source.field.help_text,
    type,
    load: (records, ctx) => loadSource(source, records as StoredRecord[], ctx),
  };
}
