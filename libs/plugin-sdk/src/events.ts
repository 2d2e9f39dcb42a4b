import type { ChangeSource, SqlRunner } from './model';
import { createRegistry } from './registry';

/** One object change, as event subscribers and webhooks receive it (Nautobot's payload fields). */
export interface ObjectChangeEvent {
  /** `created`, `updated` or `deleted` (Nautobot's webhook event names). */
  event: 'created' | 'updated' | 'deleted';
  /** Model label: `dcim.device`. */
  model: string;
  object_id: string;
  /** ISO time of the change. */
  timestamp: string;
  /** Everything changed by one request (or job run) shares it. */
  request_id: string;
  username: string;
  user_id: string | null;
  source: ChangeSource;
  /** The object before and after, as the change log stores them (null where there is none). */
  snapshots: { prechange: Record<string, unknown> | null; postchange: Record<string, unknown> | null };
}

/**
 * Code run after object changes commit (NetBox's events pipeline): at least once, in order per
 * object, through the transactional outbox (an event is stored in the transaction of the change
 * and handled after commit, retried when a handler fails). Handlers should be idempotent.
 */
export interface EventSubscriber {
  /** Unique name: `<plugin>.<name>` (deliveries are tracked per subscriber). */
  name: string;
  /** Model labels to receive; all models when omitted. */
  models?: readonly string[];
  /** Events to receive; all when omitted. */
  events?: readonly ObjectChangeEvent['event'][];
  handle(events: readonly ObjectChangeEvent[]): Promise<void>;
  /**
   * Narrow a transaction's events (already filtered by `models` and `events`) to those worth
   * storing, inside the writing transaction; none left stores nothing (webhooks: the events some
   * enabled webhook wants). Runs on every write: keep it to one cheap query.
   */
  select?(db: SqlRunner, events: readonly ObjectChangeEvent[]): Promise<readonly ObjectChangeEvent[]>;
}
export const EventSubscribers = createRegistry<EventSubscriber>('event-subscribers');

/** How the outbox and webhook deliveries retry (operator settings, PLINTH_EVENTS_*). */
export interface EventSettings {
  /** Delay before the first retry; each later retry waits twice as long. */
  retry_base_ms: number;
  /** Attempts before a delivery is given up (kept, marked failed). */
  max_attempts: number;
  /** How often workers look for due retries. */
  sweep_ms: number;
  /**
   * Days finished deliveries (webhook delivery log, given-up outbox rows) are kept; 0 keeps them
   * (PLINTH_CHANGELOG_RETENTION_DAYS, as for change records).
   */
  retention_days: number;
  /** Hosts, addresses and CIDRs webhooks may reach although private (PLINTH_WEBHOOK_ALLOWED_HOSTS). */
  webhook_allowed_hosts: readonly string[];
}
export const EVENT_SETTINGS = Symbol.for('plinth:event-settings');

/** Delay before attempt `attempt + 1` after `attempt` failures (exponential backoff, capped at a day). */
export function retryDelayMs(attempts: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempts - 1), 86_400_000);
}
