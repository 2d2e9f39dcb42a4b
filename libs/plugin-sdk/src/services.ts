import { AsyncLocalStorage } from 'node:async_hooks';
import { Inject, SetMetadata } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Sql } from './sql';
import type { AuthUser, ChangeSource, ModelMeta, ObjectsApi, TransactionContext } from './model';
import type { PermissionAction } from './entities/core';

/**
 * Injection tokens and interfaces of the services core provides to every plugin (core domains
 * included). Implementations live in @plinth/core; plugins only see these contracts.
 */

export const OBJECTS = Symbol.for('plinth:objects');
export const AUTHORIZATION = Symbol.for('plinth:authorization');
export const MODELS = Symbol.for('plinth:models');
export const PLUGIN_SETTINGS = Symbol.for('plinth:plugin-settings');
export const CORE_CONFIG = Symbol.for('plinth:config');
export const SQL = Symbol.for('plinth:sql');
export const PASSWORD_LOGIN = Symbol.for('plinth:password-login');

/** The outcome of a username/password check. */
export type PasswordLoginResult =
  | { ok: true; user: AuthUser }
  | { ok: false; reason: 'invalid' }
  /** Too many failures for this username or address: refused whatever the password. */
  | { ok: false; reason: 'locked'; retry_after: number };

/**
 * Checks a username and password with lockouts and rate limits, taking the same time whether
 * the user exists or not. Every password login (web UI, token provisioning) goes here.
 */
export interface PasswordLogin {
  login(username: string, password: string, client: { ip: string }): Promise<PasswordLoginResult>;
}

export interface WriteOptions {
  user?: AuthUser | null;
  source?: ChangeSource;
  request_id?: string;
  /**
   * Skip the user's permission checks: the caller has authorised the action itself (writes are
   * still validated and change-logged as the user).
   */
  trusted?: boolean;
}

/** The one write path, and reads through the same filter engine as the REST API. */
export interface ObjectsService extends ObjectsApi {
  /** Run several writes in one transaction; everything rolls back if `fn` throws. */
  transaction<T>(fn: (tx: TransactionContext) => Promise<T>, opts?: WriteOptions): Promise<T>;
  /** The same API bound to explicit options (e.g. a job acting as a given user). */
  as(opts: WriteOptions): ObjectsApi;
}

/** Permission checks: every surface (REST, GraphQL, UI, CLI) asks this one service. */
export interface Authorization {
  /** May the user perform `action` on at least some objects of the model? */
  can(
    user: AuthUser | null,
    action: PermissionAction,
    label: string,
    manager?: EntityManager,
  ): Promise<boolean>;
  /** Throw 403 unless `can`. */
  assert(
    user: AuthUser | null,
    action: PermissionAction,
    label: string,
    manager?: EntityManager,
  ): Promise<void>;
  /**
   * SQL condition restricting the model's rows (aliased `alias`) to those the user may act on;
   * null means unrestricted. Throws 403 when the user has no permission at all. Pass the
   * transaction's manager when calling inside one.
   */
  scope(
    user: AuthUser | null,
    action: PermissionAction,
    label: string,
    alias: Sql,
    manager?: EntityManager,
  ): Promise<Sql | null>;
}

export interface ModelLookup {
  get(label: string): ModelMeta | undefined;
  require(label: string): ModelMeta;
  all(): readonly ModelMeta[];
  /** The model whose entity is `entity`. */
  forEntity(entity: unknown): ModelMeta | undefined;
}

export type PluginSettingsMap = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

export const InjectObjects = (): ParameterDecorator & PropertyDecorator => Inject(OBJECTS);
export const InjectAuthorization = (): ParameterDecorator & PropertyDecorator => Inject(AUTHORIZATION);
export const InjectModels = (): ParameterDecorator & PropertyDecorator => Inject(MODELS);
/**
 * The `SqlRunner` of services that have no transaction context (controllers' reads, UI
 * contributions): the same door as `ctx.query`, outside any write. Inside a write, use the
 * transaction's own (`tx.query`), which sees the write's rows and locks.
 */
export const InjectSql = (): ParameterDecorator & PropertyDecorator => Inject(SQL);
/** All plugins' effective settings (defaults merged under `plugins_config`), keyed by plugin name. */
export const InjectPluginSettings = (): ParameterDecorator & PropertyDecorator => Inject(PLUGIN_SETTINGS);

/** Per-request state, available anywhere below a request (REST, UI, GraphQL). */
export interface RequestState {
  request_id: string;
  user: AuthUser | null;
  /** Token restrictions, when the request authenticated with a token. */
  token?: { id: string; write_enabled: boolean };
  /** `https://host:port` as the client sees it, for absolute URLs. */
  base_url: string;
  source: ChangeSource;
  /** SQL statements run for this request (counted when PLINTH_DEBUG_SQL=1). */
  sql_count: number;
}

// One store per process even when a plugin loads its own copy of the SDK: otherwise its
// handlers would see no request (no user, no request id).
const storage = ((globalThis as Record<symbol, unknown>)[Symbol.for('plinth:request-context')] ??=
  new AsyncLocalStorage<RequestState>()) as AsyncLocalStorage<RequestState>;

export const RequestContext = {
  run<T>(state: RequestState, fn: () => T): T {
    return storage.run(state, fn);
  },
  current(): RequestState | undefined {
    return storage.getStore();
  },
};

/** Metadata key of `@Public()`. */
export const PUBLIC_ROUTE = 'plinth:public';

/** Mark an API handler or controller as reachable without credentials (e.g. token provisioning). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);

/** A file part of a `multipart/form-data` request. */
export interface UploadedFilePart {
  /** The form field it was sent as. */
  fieldname: string;
  originalname: string;
  mimetype: string;
  size: number;
  buffer: Buffer;
}

/**
 * The files of a `multipart/form-data` request. The platform's one body parser reads multipart
 * bodies for every route (in memory, each file within the body limit, PLINTH_MAX_BODY_SIZE_MB;
 * the other fields land in the body), so a controller reads its files here: no interceptor of
 * its own (a second parser would find the stream already read).
 */
export function uploadedFiles(req: unknown): readonly UploadedFilePart[] {
  const files = (req as { files?: unknown } | null)?.files;
  return Array.isArray(files) ? (files as UploadedFilePart[]) : [];
}
