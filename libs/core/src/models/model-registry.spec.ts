import { Entity } from 'typeorm';
import {
  BaseModel,
  Field,
  booleanFilter,
  defineModel,
  sql,
  type ModelDefinition,
  type ModelExtension,
  type ModelFeatureProvider,
} from '@plinth/plugin-sdk';
import type { LoadedPlugin } from '../plugins/discovery';
import { ModelRegistry } from './model-registry';

@Entity('acme_gizmo')
class Gizmo extends BaseModel {
  @Field.char({ max_length: 50 }) name!: string;
}

const plugin = (name: string, builtin = false): LoadedPlugin =>
  ({ name, builtin, base_url: name, manifest: {} }) as unknown as LoadedPlugin;

function registry(opts: {
  features?: ModelDefinition['features'];
  providers?: ModelFeatureProvider[];
  extensions?: { plugin: string; item: ModelExtension }[];
}): ModelRegistry {
  const gizmo = defineModel({ entity: Gizmo, model: 'gizmo', features: opts.features ?? [] });
  return new ModelRegistry(
    [{ item: gizmo, plugin: 'acme' }],
    (opts.providers ?? []).map((item) => ({ item, plugin: 'core' })),
    [plugin('acme'), plugin('other'), plugin('domain', true)],
    opts.extensions ?? [],
  );
}

describe('model registry', () => {
  it('refuses a declared feature that nothing implements, in one line', () => {
    expect(() => registry({ features: ['changelog', 'webhooks'] })).toThrow(
      /^model acme\.gizmo declares feature "webhooks", which no enabled plugin implements$/,
    );
    expect(() => registry({ features: ['changelog', 'graphql', 'custom_validators'] })).not.toThrow();
  });

  it("adds a feature implementation's filters and field sources to the models that have it", () => {
    const models = registry({
      features: ['notes'],
      providers: [
        {
          feature: 'notes',
          filters: () => ({ has_notes: booleanFilter('Has notes', () => sql`TRUE`) }),
          sources: () => [
            { name: 'notes_count', field: { ...stringField(), label: 'Notes' }, load: async () => new Map() },
          ],
          filter: (_m, name) => (name.startsWith('note_') ? { apply: () => sql`TRUE` } : undefined),
          describeFilters: () => [{ name: 'note_x', type: 'string' }],
        },
      ],
    });
    const gizmo = models.require('acme.gizmo');
    expect(gizmo.filter('has_notes')).toBeDefined();
    expect(gizmo.filter('note_anything')).toBeDefined();
    expect(gizmo.filter('nothing')).toBeUndefined();
    expect(gizmo.source('notes_count')?.field.label).toBe('Notes');
    expect(gizmo.describeDynamicFilters().map((f) => f.name)).toEqual(['note_x']);
  });

  it('takes plugin extensions of other models only when their names carry the plugin prefix', () => {
    const filter = booleanFilter('x', () => sql`TRUE`);
    expect(() =>
      registry({
        extensions: [{ plugin: 'other', item: { model: 'acme.gizmo', filters: { shiny: filter } } }],
      }),
    ).toThrow('plugin "other": filter or field "shiny" added to acme.gizmo must be named "other_..."');
    expect(() =>
      registry({
        extensions: [{ plugin: 'other', item: { model: 'nope.nope', filters: { other_x: filter } } }],
      }),
    ).toThrow('plugin "other": extends nope.nope, which is not a registered model');
    const models = registry({
      extensions: [{ plugin: 'other', item: { model: 'acme.gizmo', filters: { other_shiny: filter } } }],
    });
    expect(models.require('acme.gizmo').filter('other_shiny')).toBe(filter);
  });

  it("lets built-in domains extend other models under Nautobot's names", () => {
    const filter = booleanFilter('x', () => sql`TRUE`);
    const models = registry({
      extensions: [{ plugin: 'domain', item: { model: 'acme.gizmo', filters: { virtual_machine: filter } } }],
    });
    expect(models.require('acme.gizmo').filter('virtual_machine')).toBe(filter);
  });

  it("gives a plugin model's typed ref its label once registered", () => {
    const gizmo = defineModel({ entity: Gizmo, model: 'gizmo' });
    expect(() => gizmo.label).toThrow(/not registered yet/);
    new ModelRegistry([{ item: gizmo, plugin: 'acme' }], [], [plugin('acme')]);
    expect(gizmo.label).toBe('acme.gizmo');
  });
});

function stringField() {
  return {
    kind: 'string' as const,
    label: '',
    nullable: true,
    blank: true,
    unique: false,
    read_only: true,
    write_only: false,
    filter: false,
    search: false,
  };
}
