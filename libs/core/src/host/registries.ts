import {
  CliCommands,
  ContentTypeReferences,
  CustomValidators,
  EventSubscribers,
  HealthChecks,
  InstallHooks,
  Jobs,
  JobRecorders,
  LoginMethods,
  ListExports,
  Middleware,
  ModelExtensions,
  ModelFeatures,
  Metrics,
  Models,
  PasswordBackends,
  Registry,
  TemplateFilters,
  UI_REGISTRIES,
  type RegistryToken,
} from '@plinth/plugin-sdk';
import type { LoadedPlugin } from '../plugins/discovery';

/** Registries every app has, whether or not anything is contributed to them. */
export const STANDARD_REGISTRIES: readonly RegistryToken<unknown>[] = [
  Models,
  CustomValidators,
  Middleware,
  ModelFeatures,
  ModelExtensions,
  InstallHooks,
  CliCommands,
  Jobs,
  JobRecorders,
  ContentTypeReferences,
  EventSubscribers,
  Metrics,
  PasswordBackends,
  LoginMethods,
  TemplateFilters,
  ListExports,
  HealthChecks,
  ...UI_REGISTRIES,
];

/** One Registry instance per token for an app, filled from the plugins' manifests in plugin order. */
export class RegistrySet {
  private readonly map = new Map<symbol, Registry<unknown>>();

  constructor(tokens: readonly RegistryToken<unknown>[] = STANDARD_REGISTRIES) {
    for (const t of tokens) this.ensure(t);
  }

  ensure<T>(token: RegistryToken<T>): Registry<T> {
    let r = this.map.get(token.provide);
    if (!r) {
      r = new Registry<unknown>(token as RegistryToken<unknown>);
      this.map.set(token.provide, r);
    }
    return r as Registry<T>;
  }

  get<T>(token: RegistryToken<T>): Registry<T> {
    return this.ensure(token);
  }

  all(): Registry<unknown>[] {
    return [...this.map.values()];
  }

  /** Collect every manifest's models and contributions. */
  static fromPlugins(
    plugins: readonly LoadedPlugin[],
    extraTokens: readonly RegistryToken<unknown>[] = [],
  ): RegistrySet {
    const set = new RegistrySet([...STANDARD_REGISTRIES, ...extraTokens]);
    for (const p of plugins) {
      for (const model of p.manifest.models ?? []) set.get(Models).register(model, p.name);
      for (const c of p.manifest.contributions ?? []) {
        const reg = set.ensure(c.registry);
        for (const item of c.items) reg.register(item, p.name);
      }
    }
    return set;
  }

  /** Contributions of one plugin, per registry id (for the installed-plugins page and API). */
  contributionsOf(plugin: string): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of this.all()) {
      const n = r.byPlugin(plugin).length;
      if (n) out[r.token.id] = n;
    }
    return out;
  }
}
