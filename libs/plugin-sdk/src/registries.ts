import type { NestMiddleware, Type } from '@nestjs/common';
import type { FieldMeta } from './fields';
import type { AuthUser, ModelDefinition, ModelMeta, Rec, TransactionContext } from './model';
import { createRegistry } from './registry';

/** Models: every registered model, core or plugin. Manifests list them under `models`. */
export const Models = createRegistry<ModelDefinition>('models');

export interface CustomValidatorContext {
  action: 'create' | 'update';
  model: ModelMeta;
  /** The proposed object. */
  object: Rec;
  /** The stored object (update). */
  before: Rec | null;
  /** The acting user (null for system writes). */
  user: AuthUser | null;
  /** True when the field is set on create, or its value changes on update. */
  changed(field: string): boolean;
  tx: TransactionContext;
  /** Reject the write with a field error (400 `{field: [message]}`); use `__all__` for the object. */
  error(field: string, message: string): void;
}

/** Extra validation for existing models (Nautobot's PluginCustomValidator). */
export interface CustomValidator {
  /** Model label(s): `dcim.device`. */
  model: string | readonly string[];
  validate(ctx: CustomValidatorContext): void | Promise<void>;
}
export const CustomValidators = createRegistry<CustomValidator>('custom-validators');

export type ExpressMiddleware = (req: unknown, res: unknown, next: (err?: unknown) => void) => void;

/**
 * Request middleware, applied to every request in plugin order, after Plinth has authenticated
 * the request: a Nest middleware class (with DI), an instance, or a plain Express function.
 */
export type MiddlewareContribution = Type<NestMiddleware> | NestMiddleware | ExpressMiddleware;
export const Middleware = createRegistry<MiddlewareContribution>('middleware');

/**
 * Fields a feature adds to every model that has it (e.g. extras adds `tags` to models with the
 * `tags` feature). Core treats them as the model's own fields everywhere.
 */
export interface ModelFeatureProvider {
  feature: string;
  fields(model: { label: string }): FieldMeta[];
}
export const ModelFeatures = createRegistry<ModelFeatureProvider>('model-features');

/** Data a plugin installs once its tables exist (default statuses, ...). Runs after migrations. */
export interface InstallHook {
  name: string;
  run(tx: TransactionContext): Promise<void>;
}
export const InstallHooks = createRegistry<InstallHook>('install-hooks');

export interface CliOption {
  flags: string;
  description: string;
  default?: string | boolean;
}

export interface CliCommandContext {
  /** Writes as the system user, tagged `cli` in the change log. */
  objects: import('./model').ObjectsApi;
  models: import('./services').ModelLookup;
  /** Resolve a provider from the app (a plugin's service). */
  get<T>(token: Type<T> | symbol | string): T;
  log(message: string): void;
  /** Whether stdout is an interactive terminal (progress bars). */
  interactive: boolean;
}

/** A `plinth <name>` command. */
export interface CliCommand {
  name: string;
  description: string;
  arguments?: string;
  options?: readonly CliOption[];
  run(ctx: CliCommandContext, args: string[], options: Record<string, unknown>): Promise<void>;
}
export const CliCommands = createRegistry<CliCommand>('cli-commands');

export interface JobContext {
  /** Writes attributed to the job (source `job`). */
  objects: import('./model').ObjectsApi;
  log(message: string): void;
}

/**
 * Background work run by the queue: in-process in embedded mode, by `apps/worker` processes
 * through Bull/Redis in production.
 */
export interface JobDefinition {
  /** Unique name: `<plugin>.<job>`. */
  name: string;
  description?: string;
  /** Run repeatedly at this interval (ms), from the first worker that starts. */
  every_ms?: number;
  run(ctx: JobContext, data: Record<string, unknown>): Promise<unknown>;
}
export const Jobs = createRegistry<JobDefinition>('jobs');
