import { Injectable, Optional } from '@nestjs/common';
import {
  InjectGraphQLExecutor,
  InjectReads,
  InjectTemplateRenderer,
  SYSTEM_ACTOR,
  type ApiObject,
  type GraphQLExecutor,
  type JobContext,
  type JobDefinition,
  type ReadService,
  type RecordOf,
  type TemplateRenderer,
} from '@plinth/plugin-sdk';
import { saveGoldenConfig } from '../golden-configs';
import {
  configTemplateModel,
  goldenConfigSettingModel,
  type ConfigTemplate,
  type GoldenConfigSetting,
} from '../models';
import { renderDevicePaths } from '../paths';
import { DEVICE_SELECTION, deviceLink, refId, selectedDevices } from './device-selection';

type Setting = RecordOf<GoldenConfigSetting>;

/** A saved GraphQL query (extras.graphqlquery) as the job runs it. */
interface SavedQuery {
  name: string;
  query: string;
}

/**
 * The template's data: the saved query's result (a query of one root field, such as
 * `device(id: $device_id) {...}`, gives that field's value, as Nautobot's `sot_agg_query`),
 * the device's rendered config context and the device itself as `obj`.
 */
function templateContext(data: Record<string, unknown> | null, device: ApiObject): Record<string, unknown> {
  const keys = Object.keys(data ?? {});
  const root =
    keys.length === 1 && data![keys[0]] && typeof data![keys[0]] === 'object'
      ? (data![keys[0]] as Record<string, unknown>)
      : (data ?? {});
  return { ...root, config_context: device.config_context ?? {}, obj: device };
}

/**
 * "Generate intended configurations": for each selected device, the template its platform's
 * setting names (from a repository providing golden config intended templates) rendered in the
 * sandbox with the saved GraphQL query's data (run as the job's user) and the config context;
 * the result is stored as the device's intended configuration. Failures are logged per device.
 */
@Injectable()
export class GenerateIntendedJob implements JobDefinition {
  readonly name = 'golden_config.generate_intended';
  readonly label = 'Generate intended configurations';
  readonly grouping = 'Golden Configuration';
  readonly description =
    'Render each device’s intended configuration from its platform’s template, GraphQL query and config context.';
  readonly variables = DEVICE_SELECTION;

  constructor(
    @InjectReads() private readonly reads: ReadService,
    @InjectTemplateRenderer() private readonly renderer: TemplateRenderer,
    // Provided where jobs run (server, worker, `plinth runjob`); absent in apps that run none.
    @Optional() @InjectGraphQLExecutor() private readonly graphql?: GraphQLExecutor,
  ) {}

  /** The settings' saved queries (extras.graphqlquery), by id. */
  private async savedQueries(
    ctx: JobContext,
    settings: readonly Setting[],
  ): Promise<Map<string, SavedQuery>> {
    const ids = [...new Set(settings.flatMap((s) => (s.sot_agg_query ? [String(s.sot_agg_query)] : [])))];
    if (!ids.length) return new Map();
    const rows = await ctx.objects.find('extras.graphqlquery', { id: ids }, { limit: ids.length });
    return new Map(
      rows.map((r) => {
        const q = r as Record<string, unknown>;
        return [String(q.id), { name: String(q.name), query: String(q.query) }];
      }),
    );
  }

  async run(ctx: JobContext, data: Record<string, unknown>): Promise<unknown> {
    const settings = await ctx.objects.find(goldenConfigSettingModel);
    const byPlatform = new Map(settings.map((s) => [String(s.platform), s]));
    const queries = await this.savedQueries(ctx, settings);
    const devices = await selectedDevices(this.reads, ctx, data, [...byPlatform.keys()], ['config_context']);
    ctx.log_info(`Generating intended configurations of ${devices.length} devices.`);
    const templates = await this.reads.list(
      SYSTEM_ACTOR,
      configTemplateModel,
      {},
      { limit: 0 },
      { as: 'record' },
    );
    let ok = 0;
    let failed = 0;
    for (const device of devices) {
      if (ctx.signal.aborted) {
        ctx.log_warning(`Stopped: ${String((ctx.signal.reason as Error).message)}.`);
        break;
      }
      const error = await this.generate(ctx, device, byPlatform, queries, templates.results);
      if (error) {
        failed++;
        ctx.log_failure(`${String(device.display)}: ${error}`, { object: deviceLink(device) });
      } else ok++;
    }
    ctx.log_info(`${ok} intended configurations generated, ${failed} failed.`);
    if (failed) throw new Error(`${failed} of ${devices.length} devices failed.`);
    return { generated: ok, failed };
  }

  /** Generate one device's intended configuration; returns the failure, or null. */
  private async generate(
    ctx: JobContext,
    device: ApiObject,
    byPlatform: ReadonlyMap<string, Setting>,
    queries: ReadonlyMap<string, SavedQuery>,
    templates: readonly RecordOf<ConfigTemplate>[],
  ): Promise<string | null> {
    const platform = refId(device.platform);
    const setting = platform ? byPlatform.get(platform) : undefined;
    if (!setting) return 'its platform has no golden config setting.';
    const attempt = new Date();
    const fail = async (why: string) => {
      await saveGoldenConfig(ctx.objects, String(device.id), { intended_last_attempt_date: attempt });
      return why;
    };
    const [where] = await renderDevicePaths(this.renderer, setting.jinja_path_template, [device]);
    if (!where.ok) return fail(where.error);
    const template = templates.find(
      (t) =>
        t.path === where.path &&
        (!setting.jinja_repository || t.repository === String(setting.jinja_repository)),
    );
    if (!template) return fail(`no intended template at ${where.path}.`);
    let result: Record<string, unknown> | null = null;
    if (setting.sot_agg_query) {
      const saved = queries.get(String(setting.sot_agg_query));
      if (!saved) return fail(`the GraphQL query of ${setting.name} is gone.`);
      if (!this.graphql) return fail('this process cannot run GraphQL queries.');
      const r = await this.graphql.execute(saved.query, {
        user: ctx.user,
        variables: { device_id: String(device.id) },
      });
      if (r.errors.length) return fail(`GraphQL query ${saved.name}: ${r.errors.join('; ')}`);
      result = r.data;
    }
    let intended: string;
    try {
      intended = await this.renderer.render(template.template, templateContext(result, device));
    } catch (e) {
      return fail(`template ${where.path}: ${(e as Error).message}`);
    }
    await saveGoldenConfig(ctx.objects, String(device.id), {
      intended_config: intended,
      intended_last_attempt_date: attempt,
      intended_last_success_date: attempt,
    });
    ctx.log_success(`${String(device.display)}: rendered ${where.path}.`, { object: deviceLink(device) });
    return null;
  }
}
