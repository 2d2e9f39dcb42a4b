import { Logger } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import {
  retryDelayMs,
  sql,
  type EventSettings,
  type EventSubscriber,
  type JobDefinition,
  type ObjectChangeEvent,
  type Registry,
} from '@plinth/plugin-sdk';
import type { ChangeEvent } from '../changelog/changelog';
import { executor, sqlRunner } from '../query/query-engine';
import type { QueueDriver } from '../queue/queue';

export const OUTBOX_JOB = 'core.event-outbox';

/** How long a claimed row stays invisible to other workers (a crashed handler's row comes back). */
const LEASE_SECONDS = 300;
const CLAIM_BATCH = 100;

const EVENT_NAMES = { create: 'created', update: 'updated', delete: 'deleted' } as const;

export type OutboxOutcome = 'succeeded' | 'retry' | 'failed';

/** A change as event subscribers and webhooks receive it (the SDK's ObjectChangeEvent). */
export function toObjectChangeEvent(e: ChangeEvent): ObjectChangeEvent {
  return {
    event: EVENT_NAMES[e.action],
    model: e.model.label,
    object_id: e.object_id,
    timestamp: e.time.toISOString(),
    request_id: e.request_id,
    username: e.user_name,
    user_id: e.user_id,
    source: e.source,
    snapshots: { prechange: e.prechange, postchange: e.postchange },
  };
}

function wants(s: EventSubscriber, e: ObjectChangeEvent): boolean {
  return (!s.models || s.models.includes(e.model)) && (!s.events || s.events.includes(e.event));
}

interface ClaimedRow {
  id: string;
  subscriber: string;
  events: ObjectChangeEvent[];
  attempts: number;
}

/**
 * The transactional outbox of event subscribers: `record` stores a transaction's changes for
 * every interested subscriber inside that transaction (a rolled-back write leaves nothing),
 * `wake` hands them to the queue after commit, and the `core.event-outbox` job runs the
 * subscribers, retrying failures with exponential backoff until `max_attempts` (then the row is
 * kept as `failed`). A repeating run of the job picks up retries and rows a crash left behind.
 */
export class EventOutbox {
  private readonly logger = new Logger('Events');
  /** Outcome observer (metrics). */
  onOutcome: (subscriber: string, outcome: OutboxOutcome) => void = () => undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly subscribers: Registry<EventSubscriber>,
    private readonly queue: QueueDriver,
    private readonly settings: EventSettings,
  ) {}

  /** In the writing transaction: one outbox row per subscriber that wants some of the changes. */
  async record(manager: EntityManager, changes: readonly ChangeEvent[]): Promise<string[]> {
    const subscribers = this.subscribers.items();
    if (changes.length === 0 || subscribers.length === 0) return [];
    const events = changes.map(toObjectChangeEvent);
    const ids: string[] = [];
    for (const s of subscribers) {
      let mine: readonly ObjectChangeEvent[] = events.filter((e) => wants(s, e));
      if (mine.length && s.select) mine = await s.select(sqlRunner(manager), mine);
      if (mine.length === 0) continue;
      const rows = await executor(manager)(
        // clock_timestamp(), not now(): a transaction that waited for another's row locks
        // must sort after it, although it started first.
        sql`INSERT INTO "core_eventoutbox" ("subscriber", "events", "created", "next_attempt") VALUES (${s.name}, ${JSON.stringify(mine)}::jsonb, clock_timestamp(), now()) RETURNING "id"`,
      );
      ids.push(String(rows[0].id));
    }
    return ids;
  }

  /** After commit: let a worker handle the new rows now (the sweep would find them later anyway). */
  wake(ids: readonly string[]): void {
    if (ids.length === 0) return;
    this.queue
      .enqueue(OUTBOX_JOB, { ids: [...ids] })
      .catch((e: unknown) => this.logger.warn(`could not queue change events: ${String(e)}`));
  }

  /** Handle due rows (the given ones, or every due one), oldest first. */
  async process(ids?: readonly string[]): Promise<{ succeeded: number; failed: number }> {
    let succeeded = 0;
    let failed = 0;
    for (;;) {
      const rows = await this.claim(ids);
      for (const row of rows) {
        if (await this.handle(row)) succeeded++;
        else failed++;
      }
      if (ids || rows.length < CLAIM_BATCH) return { succeeded, failed };
    }
  }

  private async claim(ids?: readonly string[]): Promise<ClaimedRow[]> {
    const only = ids ? sql` AND "id" = ANY(${[...ids]}::uuid[])` : sql.empty;
    const rows = await executor(this.dataSource.manager)(
      // In a CTE: TypeORM answers a bare UPDATE with [rows, affected].
      sql`WITH claimed AS (UPDATE "core_eventoutbox" SET "attempts" = "attempts" + 1, "next_attempt" = now() + (${LEASE_SECONDS}::int * interval '1 second')
          WHERE "id" IN (SELECT "id" FROM "core_eventoutbox" WHERE "status" = 'pending' AND "next_attempt" <= now()${only}
                         ORDER BY "created" LIMIT ${CLAIM_BATCH} FOR UPDATE SKIP LOCKED)
          RETURNING "id", "subscriber", "events", "attempts", "created") SELECT * FROM claimed`,
    );
    return rows
      .sort((a, b) => new Date(a.created as Date).getTime() - new Date(b.created as Date).getTime())
      .map((r) => ({
        id: String(r.id),
        subscriber: String(r.subscriber),
        events: (typeof r.events === 'string' ? JSON.parse(r.events) : r.events) as ObjectChangeEvent[],
        attempts: Number(r.attempts),
      }));
  }

  private async handle(row: ClaimedRow): Promise<boolean> {
    const db = executor(this.dataSource.manager);
    const subscriber = this.subscribers.items().find((s) => s.name === row.subscriber);
    try {
      if (!subscriber) throw new Error(`no event subscriber named ${row.subscriber} is installed`);
      await subscriber.handle(row.events);
      await db(sql`DELETE FROM "core_eventoutbox" WHERE "id" = ${row.id}::uuid`);
      this.onOutcome(row.subscriber, 'succeeded');
      return true;
    } catch (e) {
      const message = (e as Error).message ?? String(e);
      const giveUp = !subscriber || row.attempts >= this.settings.max_attempts;
      const delay = retryDelayMs(row.attempts, this.settings.retry_base_ms);
      await db(
        giveUp
          ? sql`UPDATE "core_eventoutbox" SET "status" = 'failed', "next_attempt" = NULL, "last_error" = ${message} WHERE "id" = ${row.id}::uuid`
          : sql`UPDATE "core_eventoutbox" SET "next_attempt" = now() + (${delay}::int * interval '1 millisecond'), "last_error" = ${message} WHERE "id" = ${row.id}::uuid`,
      );
      this.logger.warn(
        `event subscriber ${row.subscriber} failed (attempt ${row.attempts}${giveUp ? ', giving up' : `, retry in ${delay} ms`}): ${message}`,
      );
      this.onOutcome(row.subscriber, giveUp ? 'failed' : 'retry');
      return false;
    }
  }

  /** Rows waiting (pending) and given up (failed), for metrics. */
  async depth(): Promise<{ pending: number; failed: number }> {
    const rows = await executor(this.dataSource.manager)(
      sql`SELECT count(*) FILTER (WHERE "status" = 'pending')::int AS pending, count(*) FILTER (WHERE "status" = 'failed')::int AS failed FROM "core_eventoutbox"`,
    );
    return { pending: Number(rows[0].pending), failed: Number(rows[0].failed) };
  }
}

/**
 * The queue job: given `ids`, those rows; otherwise (the repeating sweep) every due row. The
 * outbox is looked up when the job runs (it is built by the injector, after jobs are listed).
 */
export function outboxJob(outbox: () => EventOutbox, settings: EventSettings): JobDefinition {
  return {
    name: OUTBOX_JOB,
    description: 'Hand committed object changes to event subscribers (webhooks, plugins); retry failures.',
    every_ms: settings.sweep_ms,
    run: async (_ctx, data) => {
      const ids = Array.isArray(data.ids) ? data.ids.map(String) : undefined;
      return outbox().process(ids);
    },
  };
}
