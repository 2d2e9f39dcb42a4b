import { Inject, Injectable, Optional } from '@nestjs/common';
import {
  GRAPHQL_EXECUTOR,
  html,
  type GraphQLExecutor,
  type ObjectContext,
  type TemplateExtension,
  type UiButton,
  type UiPanel,
} from '@plinth/plugin-sdk';
import { GRAPHQL_QUERY } from './models';
import { runSavedQuery, savedQueryResponse } from './run';

function pretty(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

/** GraphiQL opened on the saved query and its variables. */
export function graphiqlLink(query: string, variables: Record<string, unknown>): string {
  const params = new URLSearchParams({ query });
  if (Object.keys(variables).length) params.set('variables', pretty(variables));
  return `/graphql/?${params.toString()}`;
}

/**
 * A saved query's page: the query, a form to run it with variables (a GET: running reads only,
 * as the user viewing the page) and its answer, and a button opening it in GraphiQL.
 */
@Injectable()
export class GraphQLQueryPage implements TemplateExtension {
  readonly model = GRAPHQL_QUERY;

  constructor(@Optional() @Inject(GRAPHQL_EXECUTOR) private readonly graphql?: GraphQLExecutor) {}

  buttons(ctx: ObjectContext): UiButton[] {
    const saved = ctx.object as { query?: unknown; variables?: unknown };
    return [
      {
        label: 'Open in GraphiQL',
        link: graphiqlLink(String(saved.query ?? ''), (saved.variables as Record<string, unknown>) ?? {}),
        color: 'info',
      },
    ];
  }

  async full_width_page(ctx: ObjectContext): Promise<UiPanel> {
    const saved = ctx.object as { query?: unknown; variables?: unknown };
    const submitted = ctx.query.variables?.[0];
    const variablesText = submitted ?? pretty(saved.variables ?? {});
    let answer = html``;
    if (ctx.query.run?.length) answer = await this.answer(String(saved.query ?? ''), variablesText, ctx);
    return {
      title: 'Run',
      body: html`<pre class="border rounded p-2 bg-body-tertiary graphql-query-text">
${String(saved.query ?? '')}</pre>
        <form method="get" class="graphql-query-run">
          <input type="hidden" name="run" value="1" />
          <label class="form-label" for="graphql-query-variables">Variables (JSON)</label>
          <textarea
            class="form-control font-monospace mb-2"
            id="graphql-query-variables"
            name="variables"
            rows="4"
          >
${variablesText}</textarea>
          <button type="submit" class="btn btn-sm btn-primary">Run</button>
        </form>
        ${answer}`,
    };
  }

  private async answer(query: string, variablesText: string, ctx: ObjectContext) {
    let variables: unknown;
    try {
      variables = variablesText.trim() ? JSON.parse(variablesText) : {};
    } catch {
      variables = undefined;
    }
    const run = await runSavedQuery(this.graphql, query, variables, ctx.user);
    if (!run.ran) return html`<div class="alert alert-danger mt-3 graphql-query-error">${run.message}</div>`;
    return html`<h6 class="mt-3">Result</h6>
      <pre class="border rounded p-2 graphql-query-result">${pretty(savedQueryResponse(run.result))}</pre>`;
  }
}
