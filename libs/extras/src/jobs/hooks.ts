import { Inject, Injectable } from '@nestjs/common';
import {
  InjectSql,
  JOB_QUEUE,
  sql,
  type EventSubscriber,
  type JobQueue,
  type ObjectChangeEvent,
  type SqlRunner,
} from '@plinth/plugin-sdk';
import { JobRunner } from './runner';

interface HookRow {
  content_types: string[];
  type_create: boolean;
  type_update: boolean;
  type_delete: boolean;
  job_class_name: string;
}

const FLAG = { created: 'type_create', updated: 'type_update', deleted: 'type_delete' } as const;

/**
 * Job hooks are an event subscriber: the outbox keeps a transaction's changes some enabled hook
 * wants and hands them over after commit; each (hook, change) queues one run of the hook's job
 * as the user who made the change, with `data.object_change`. At least once: a retried handover
 * may run a job twice. Changes made by a job hook's own run are not handed to hooks again (no
 * loops).
 */
@Injectable()
export class JobHookSubscriber implements EventSubscriber {
  readonly name = 'extras.job-hooks';

  constructor(
    @InjectSql() private readonly db: SqlRunner,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    @Inject(JobRunner) private readonly runner: JobRunner,
  ) {}

  private hooks(db: SqlRunner, models: readonly string[]): Promise<HookRow[]> {
    return db.query<HookRow & Record<string, unknown>>(
      sql`SELECT h."content_types", h."type_create", h."type_update", h."type_delete", j."job_class_name"
          FROM "extras_jobhook" h JOIN "extras_job" j ON j."id" = h."job_id"
          WHERE h."enabled" AND j."enabled" AND j."installed" AND h."content_types" && ${[...models]}::varchar[]`,
    );
  }

  /** Hook runs' own changes (their request id is a hook-fired result's id) are left out. */
  private async fromHookRuns(db: SqlRunner, events: readonly ObjectChangeEvent[]): Promise<Set<string>> {
    const ids = [...new Set(events.filter((e) => e.source === 'job').map((e) => e.request_id))];
    if (!ids.length) return new Set();
    const rows = await db.query<{ id: string }>(
      sql`SELECT r."id" FROM "extras_jobresult" r JOIN "extras_job" j ON j."id" = r."job_model_id"
          WHERE r."id" = ANY(${ids}::uuid[]) AND j."is_job_hook_receiver"`,
    );
    return new Set(rows.map((r) => r.id));
  }

  private matching(hooks: readonly HookRow[], e: ObjectChangeEvent): HookRow[] {
    return hooks.filter((h) => h[FLAG[e.event]] && h.content_types.includes(e.model));
  }

  async select(db: SqlRunner, events: readonly ObjectChangeEvent[]): Promise<readonly ObjectChangeEvent[]> {
    const hooks = await this.hooks(db, [...new Set(events.map((e) => e.model))]);
    if (!hooks.length) return [];
    const loops = await this.fromHookRuns(db, events);
    return events.filter((e) => !loops.has(e.request_id) && this.matching(hooks, e).length > 0);
  }

  async handle(events: readonly ObjectChangeEvent[]): Promise<void> {
    const hooks = await this.hooks(this.db, [...new Set(events.map((e) => e.model))]);
    const loops = await this.fromHookRuns(this.db, events);
    for (const e of events) {
      if (loops.has(e.request_id)) continue;
      for (const h of this.matching(hooks, e)) {
        const user = await this.runner.userById(e.user_id);
        await this.queue.enqueue(h.job_class_name, { object_change: e }, { user });
      }
    }
  }
}
