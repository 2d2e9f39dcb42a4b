import type { ComputedField, GraphQLFieldProvider } from '@plinth/plugin-sdk';
import { OPPOSITE, hasMany, labelFrom, peerTypeOf, relationshipDefinitions, sidesOf } from './definitions';
import { peersOf } from './peers';

/**
 * `rel_<key>` on the GraphQL type of every model with relationships: the peers (a list, or one
 * object where the relationship allows only one), restricted to what the reader may view.
 * `version` changes with the relationships and the schema is rebuilt on it (no restart). A
 * relationship between objects of one type shows the destinations of the object as a source.
 */
export const relationshipGraphQLFields: GraphQLFieldProvider = {
  feature: 'relationships',
  async fields(model, ctx) {
    await relationshipDefinitions.refresh(ctx);
    return relationshipDefinitions.forModel(model.label).map((def): ComputedField => {
      const side = sidesOf(def, model.label)[0];
      const peerSide = OPPOSITE[side];
      const many = hasMany(def, side);
      return {
        name: `rel_${def.key}`,
        label: labelFrom(def, side),
        help_text: def.description || `Relationship ${def.label} (${peerSide} objects).`,
        type: many ? 'refs' : 'ref',
        target: peerTypeOf(def, side),
        async load(records, c) {
          const ids = records.map((r) => String((r as { id: unknown }).id));
          const peers = await peersOf(c, model.label, [def], ids);
          return new Map(
            ids.map((id) => {
              const list = peers.get(id)?.get(def.key)?.get(peerSide) ?? [];
              return [id, many ? list : (list[0] ?? null)];
            }),
          );
        },
      };
    });
  },
  version: () => Promise.resolve(relationshipDefinitions.version),
};
