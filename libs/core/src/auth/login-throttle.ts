import type { DataSource } from 'typeorm';
import type { AuthSettings } from '../config/config';

/** Failures from one address may reach this multiple of the per-username limit (shared NATs). */
const ADDRESS_FACTOR = 4;

/**
 * Lockouts after repeated login failures, per username (whether or not it exists, so a lockout
 * says nothing about existence) and per client address. Counts live in the database so every
 * server process behind a load balancer enforces the same lockout.
 */
export class LoginThrottle {
  constructor(
    private readonly ds: DataSource,
    private readonly settings: AuthSettings,
  ) {}

  static keys(username: string, ip: string): { user: string; ip: string } {
    return { user: `user:${username.trim().toLowerCase()}`.slice(0, 200), ip: `ip:${ip}`.slice(0, 200) };
  }

  /** Seconds until the first of these keys is unlocked, or 0 when none is locked. */
  async lockedFor(keys: readonly string[]): Promise<number> {
    const rows = (await this.ds.query(
      `SELECT ceil(extract(epoch FROM max(locked_until) - now()))::int AS secs
         FROM core_loginfailure WHERE key = ANY($1::varchar[]) AND locked_until > now()`,
      [keys],
    )) as { secs: number | null }[];
    return Math.max(0, rows[0]?.secs ?? 0);
  }

  /** Count a failure against each key; a key reaching its limit is locked for the lockout period. */
  async fail(keys: { user: string; ip: string }): Promise<void> {
    const minutes = this.settings.lockoutMinutes;
    for (const [key, limit] of [
      [keys.user, this.settings.maxFailures],
      [keys.ip, this.settings.maxFailures * ADDRESS_FACTOR],
    ] as const) {
      // A count older than the window starts over; reaching the limit sets the lock.
      await this.ds.query(
        `INSERT INTO core_loginfailure AS f (key, failures, first_failure, locked_until)
              VALUES ($1, 1, now(), CASE WHEN 1 >= $2 THEN now() + ($3::int * interval '1 minute') END)
         ON CONFLICT (key) DO UPDATE SET
              failures = CASE WHEN f.first_failure < now() - ($3::int * interval '1 minute') THEN 1 ELSE f.failures + 1 END,
              first_failure = CASE WHEN f.first_failure < now() - ($3::int * interval '1 minute') THEN now() ELSE f.first_failure END,
              locked_until = CASE
                WHEN (CASE WHEN f.first_failure < now() - ($3::int * interval '1 minute') THEN 1 ELSE f.failures + 1 END) >= $2
                THEN now() + ($3::int * interval '1 minute') ELSE f.locked_until END`,
        [key, limit, minutes],
      );
    }
  }

  /** A successful login clears the username's count (the address keeps its own). */
  async succeed(keys: { user: string }): Promise<void> {
    await this.ds.query('DELETE FROM core_loginfailure WHERE key = $1', [keys.user]);
  }

  /** Housekeeping: counts past their window and lock. */
  async purge(): Promise<void> {
    await this.ds.query(
      `DELETE FROM core_loginfailure
        WHERE (locked_until IS NULL OR locked_until < now())
          AND first_failure < now() - ($1::int * interval '1 minute')`,
      [this.settings.lockoutMinutes],
    );
  }
}
