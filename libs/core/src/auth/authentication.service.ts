import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { Logger } from '@nestjs/common';
import type {
  AuthUser,
  PasswordBackend,
  PasswordLogin,
  PasswordLoginResult,
  Registry,
} from '@plinth/plugin-sdk';
import type { PlinthConfig } from '../config/config';
import { hashPassword, hashTokenKey, randomSecret, toAuthUser, verifyPassword } from '@plinth/plugin-sdk';
import { LoginThrottle } from './login-throttle';

export interface TokenAuth {
  user: AuthUser;
  token: { id: string; write_enabled: boolean };
}

export interface SessionAuth {
  user: AuthUser;
  session: { id: string; csrf_token: string };
}

export type TokenResult = TokenAuth | { error: string };

interface UserRow {
  id: string;
  username: string;
  is_superuser: boolean;
  is_active: boolean;
  is_staff: boolean;
  password?: string;
}

function sessionHash(cookie: string): string {
  return createHash('sha256').update(cookie).digest('hex');
}

/** Who is making a request: API tokens (stored as sha256 only) and browser sessions. */
export class AuthenticationService implements PasswordLogin {
  readonly throttle: LoginThrottle;
  /** A hash checked when the user does not exist, so a failure costs the same either way. */
  private dummyHash: Promise<string> | null = null;

  private readonly logger = new Logger('Authentication');

  constructor(
    private readonly ds: DataSource,
    private readonly config: PlinthConfig,
    /** Directories (LDAP) plugins contribute; asked after the local password. */
    private readonly backends?: Registry<PasswordBackend>,
  ) {
    this.throttle = new LoginThrottle(ds, config.auth);
  }

  /**
   * Every password login (web UI, token provisioning): lockout and address rate limit first, then
   * the local password (or a dummy one for unknown users: the same scrypt work either way), then
   * each contributed directory. Failures anywhere count towards the same lockout.
   */
  async login(username: string, password: string, client: { ip: string }): Promise<PasswordLoginResult> {
    const keys = LoginThrottle.keys(username, client.ip);
    const locked = await this.throttle.lockedFor([keys.user, keys.ip]);
    if (locked > 0) return { ok: false, reason: 'locked', retry_after: locked };
    const user =
      (await this.checkPassword(username, password)) ?? (await this.checkBackends(username, password));
    if (!user) {
      await this.throttle.fail(keys);
      return { ok: false, reason: 'invalid' };
    }
    await this.throttle.succeed(keys);
    return { ok: true, user };
  }

  async fromToken(key: string): Promise<TokenResult> {
    if (!/^[0-9a-fA-F]{40}$/.test(key)) return { error: 'Invalid token' };
    // One round trip: look the token up and note its use (at most once a minute).
    const rows = (await this.ds.query(
      `WITH t AS (
         SELECT id, user_id, expires, write_enabled FROM core_token WHERE key_hash = $1
       ), touch AS (
         UPDATE core_token SET last_used = now()
          WHERE key_hash = $1 AND (last_used IS NULL OR last_used < now() - interval '60 seconds')
          RETURNING id
       )
       SELECT t.id AS token_id, t.expires, t.write_enabled, u.id, u.username, u.is_superuser, u.is_active, u.is_staff,
              (SELECT count(*) FROM touch) AS touched
         FROM t JOIN core_user u ON u.id = t.user_id`,
      [hashTokenKey(key)],
    )) as (UserRow & { token_id: string; expires: Date | null; write_enabled: boolean })[];
    const row = rows[0];
    if (!row) return { error: 'Invalid token' };
    if (row.expires && new Date(row.expires).getTime() < Date.now()) return { error: 'Token expired' };
    if (!row.is_active) return { error: 'User inactive or deleted.' };
    return { user: toAuthUser(row), token: { id: row.token_id, write_enabled: row.write_enabled } };
  }

  /** Ask each directory in turn; one that fails (unreachable, misconfigured) is logged and skipped. */
  private async checkBackends(username: string, password: string): Promise<AuthUser | null> {
    for (const backend of this.backends?.items() ?? []) {
      try {
        const user = await backend.authenticate(username, password);
        if (user?.is_active) return user;
      } catch (e) {
        this.logger.warn(`${backend.name} login failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    return null;
  }

  /** The local password check alone (no throttling: use `login`). Constant work for unknown users. */
  async checkPassword(username: string, password: string): Promise<AuthUser | null> {
    const rows = (await this.ds.query(
      'SELECT id, username, is_superuser, is_active, is_staff, password FROM core_user WHERE username = $1',
      [username],
    )) as UserRow[];
    const row = rows[0];
    const usable = !!row && row.is_active && !!row.password && row.password.startsWith('scrypt$');
    this.dummyHash ??= hashPassword(randomSecret());
    const ok = await verifyPassword(password, usable ? row.password! : await this.dummyHash);
    return usable && ok ? toAuthUser(row) : null;
  }

  /** Log in: returns the cookie value (only its hash is stored) and the CSRF token. */
  async createSession(user: AuthUser): Promise<{ cookie: string; csrf_token: string; expires: Date }> {
    const cookie = randomSecret();
    const csrf_token = randomSecret();
    const expires = new Date(Date.now() + this.config.sessionTtlHours * 3600_000);
    await this.ds.query(
      'INSERT INTO core_session (id, user_id, csrf_token, expires) VALUES ($1, $2, $3, $4)',
      [sessionHash(cookie), user.id, csrf_token, expires],
    );
    await this.ds.query('UPDATE core_user SET last_login = now() WHERE id = $1', [user.id]);
    return { cookie, csrf_token, expires };
  }

  async fromSession(cookie: string): Promise<SessionAuth | null> {
    const rows = (await this.ds.query(
      `SELECT s.id AS session_id, s.csrf_token, u.id, u.username, u.is_superuser, u.is_active, u.is_staff
         FROM core_session s JOIN core_user u ON u.id = s.user_id
        WHERE s.id = $1 AND s.expires > now()`,
      [sessionHash(cookie)],
    )) as (UserRow & { session_id: string; csrf_token: string })[];
    const row = rows[0];
    if (!row || !row.is_active) return null;
    return { user: toAuthUser(row), session: { id: row.session_id, csrf_token: row.csrf_token } };
  }

  async destroySession(cookie: string): Promise<void> {
    await this.ds.query('DELETE FROM core_session WHERE id = $1', [sessionHash(cookie)]);
  }

  async purgeExpiredSessions(): Promise<number> {
    const rows = (await this.ds.query(
      'WITH d AS (DELETE FROM core_session WHERE expires < now() RETURNING 1) SELECT count(*)::int AS n FROM d',
    )) as { n: number }[];
    return rows[0].n;
  }
}
