import { Inject } from '@nestjs/common';
import { Args, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import {
  sql,
  InjectGraphQLObjects,
  type GraphQLFieldProvider,
  type GraphQLModelObject,
  type GraphQLObjects,
} from '@plinth/plugin-sdk';
import { exampleSettings, type ExampleSettings } from './settings';
import { WidgetSummaryService } from './summary.service';
import { WIDGET_KINDS } from './widget.entity';

/**
 * What the example plugin adds to the GraphQL schema. Its model (`widget`/`widgets`, with the
 * `WidgetType` type) is generated from the model declaration; these are extras: a query of its
 * own, a query returning generated types, and fields on a core type and on its own type.
 */
export const EXAMPLE_TYPE_DEFS = /* GraphQL */ `
  type WidgetKindCount {
    kind: String!
    label: String!
    count: Int!
  }

  type WidgetSummary {
    instance_name: String!
    total: Int!
    by_kind: [WidgetKindCount!]!
  }

  extend type Query {
    "Widget counts per kind (the REST summary endpoint, in GraphQL)."
    widget_summary: WidgetSummary!
    "Widgets of one kind, the newest first."
    widgets_of_kind(kind: String!, limit: Int): [WidgetType!]!
  }

  extend type UserType {
    "Kinds of the widgets this user looks after (those you may view)."
    widget_kinds: [String!]!
  }

  extend type WidgetType {
    "A greeting from the plugin's settings."
    greeting: String!
  }
`;

@Resolver('Query')
export class WidgetQueriesResolver {
  constructor(
    @Inject(WidgetSummaryService) private readonly summaries: WidgetSummaryService,
    @exampleSettings.inject() private readonly settings: ExampleSettings,
    @InjectGraphQLObjects() private readonly gql: GraphQLObjects,
  ) {}

  @Query('widget_summary')
  async widgetSummary() {
    const { total, by_kind } = await this.summaries.summary();
    return {
      instance_name: this.settings.instance_name,
      total,
      by_kind: WIDGET_KINDS.map((k) => ({ kind: k.value, label: k.label, count: by_kind[k.value] })),
    };
  }

  /** Generated types are resolved by core: return the objects GraphQLObjects reads. */
  @Query('widgets_of_kind')
  widgetsOfKind(@Args('kind') kind: string, @Args('limit') limit?: number): Promise<GraphQLModelObject[]> {
    return this.gql.list('example.widget', { kind }, { limit, sort: ['-created'] });
  }
}

@Resolver('UserType')
export class UserWidgetKindsResolver {
  constructor(@InjectGraphQLObjects() private readonly gql: GraphQLObjects) {}

  /**
   * One loader for the whole request: the kinds of every user in the result come from one list
   * query (per 1000 widgets), not one query per user.
   */
  @ResolveField('widget_kinds')
  widgetKinds(@Parent() user: GraphQLModelObject): Promise<string[]> {
    return this.gql
      .loader<string, string[]>('example.widget_kinds', async (userIds) => {
        const kinds = new Map<string, Set<string>>();
        for (let offset = 0; ; offset += 1000) {
          const page = await this.gql.list('example.widget', { owner: userIds }, { limit: 1000, offset });
          for (const w of page) {
            const owner = String(w.record.owner);
            kinds.set(owner, (kinds.get(owner) ?? new Set()).add(String(w.record.kind)));
          }
          if (page.length < 1000) break;
        }
        return userIds.map((id) => [...(kinds.get(id) ?? [])].sort());
      })
      .load(user.id);
  }
}

@Resolver('WidgetType')
export class WidgetGreetingResolver {
  constructor(@exampleSettings.inject() private readonly settings: ExampleSettings) {}

  @ResolveField('greeting')
  greeting(@Parent() widget: GraphQLModelObject): string {
    const { greeting, instance_name } = this.settings;
    return `${greeting} (${instance_name}): ${String(widget.record.name)}`;
  }
}

/**
 * A field for every model with a feature, core or plugin: `last_change` on every change-logged
 * model (tags, statuses, tokens, widgets, …), loaded for a whole batch of objects in one query.
 * Custom fields and relationships reach GraphQL the same way.
 */
export const lastChangeFields: GraphQLFieldProvider = {
  feature: 'changelog',
  fields: (model) => [
    {
      name: 'last_change',
      type: 'ref',
      target: 'extras.objectchange',
      help_text: 'The most recent change record of the object (from the example plugin).',
      async load(records, ctx) {
        const rows = await ctx.query<{ id: string; changed_object_id: string }>(
          sql`SELECT DISTINCT ON (changed_object_id) id, changed_object_id FROM ${sql.table('extras.objectchange')}
            WHERE changed_object_type = ${model.label} AND changed_object_id = ANY(${records.map((r) => String(r.id))}::uuid[])
            ORDER BY changed_object_id, time DESC, id`,
        );
        return new Map(rows.map((r) => [r.changed_object_id, r.id]));
      },
    },
  ],
};
