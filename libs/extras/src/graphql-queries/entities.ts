import { Entity } from 'typeorm';
import { BaseModel, Field } from '@plinth/plugin-sdk';
import { checkQuerySyntax } from './query-text';

/**
 * Nautobot's GraphQLQuery: a named query kept for re-running (`POST …/run/`, GraphiQL, the
 * query's page) and for code that takes a saved query as its data, such as golden config.
 */
@Entity('extras_graphqlquery')
export class GraphQLQuery extends BaseModel {
  @Field.char({ max_length: 255, unique: true, search: true })
  name!: string;

  @Field.text({
    search: true,
    help_text:
      'One GraphQL query operation. It is checked against the schema when saved and runs as the user who runs it.',
    validate: (v) => checkQuerySyntax(String(v ?? '')),
  })
  query!: string;

  @Field.json({
    read_only: true,
    default: () => ({}),
    help_text: 'The variables the query declares, with their defaults (null without one).',
  })
  variables!: Record<string, unknown>;
}
