import { randomUUID } from 'node:crypto';
import { sql, type ChangeSource, type ModelMeta, type Sql } from '@plinth/plugin-sdk';
import type { EntityManager } from 'typeorm';
import { executor } from '../query/query-engine';

export type ChangeAction = 'create' | 'update' | 'delete';

export interface ChangeEntry {
  action: ChangeAction;
  model: ModelMeta;
  object_id: string;
  object_repr: string;
  related_object_type: string | null;
  related_object_id: string | null;
  prechange: Record<string, unknown> | null;
  postchange: Record<string, unknown> | null;
}

export interface ChangeActor {
  user_id: string | null;
  user_name: string;
  request_id: string;
  source: ChangeSource;
}

/** A committed change, as dispatched to listeners (webhooks, caches) after the transaction. */
export interface ChangeEvent extends ChangeEntry, ChangeActor {
  time: Date;
}

const COLUMNS = [
  'id',
  'created',
  'last_updated',
  'time',
  'user_id',
  'user_name',
  'request_id',
  'action',
  'changed_object_type',
  'changed_object_id',
  'related_object_type',
  'related_object_id',
  'object_repr',
  'change_context',
  'prechange_data',
  'postchange_data',
  'object_data',
];

/** Writes ObjectChange rows in the caller's transaction, one multi-row INSERT per batch. */
export async function recordChanges(
  manager: EntityManager,
  actor: ChangeActor,
  entries: readonly ChangeEntry[],
  time: Date,
): Promise<ChangeEvent[]> {
  const logged = entries.filter((e) => e.model.has('changelog'));
  const db = executor(manager);
  for (let i = 0; i < logged.length; i += 500) {
    const chunk = logged.slice(i, i + 500);
    const rows: Sql[] = chunk.map((e) => {
      const values = [
        randomUUID(),
        time,
        time,
        time,
        actor.user_id,
        actor.user_name.slice(0, 150),
        actor.request_id,
        e.action,
        e.model.label,
        e.object_id,
        e.related_object_type,
        e.related_object_id,
        e.object_repr.slice(0, 200),
        actor.source,
        e.prechange === null ? null : JSON.stringify(e.prechange),
        e.postchange === null ? null : JSON.stringify(e.postchange),
        JSON.stringify(e.postchange ?? e.prechange),
      ];
      return sql`(${sql.join(values.map((v) => sql`${v}`))})`;
    });
    await db(
      sql`INSERT INTO "core_objectchange" (${sql.raw(COLUMNS.map((c) => `"${c}"`).join(', '))}) VALUES ${sql.join(rows)}`,
    );
  }
  return entries.map((e) => ({ ...e, ...actor, time }));
}

type Listener = (events: readonly ChangeEvent[]) => void | Promise<void>;

/** Post-commit change notifications. Listener errors are logged, never surfaced to the writer. */
export class ChangeEvents {
  private readonly listeners: Listener[] = [];

  subscribe(listener: Listener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  dispatch(events: readonly ChangeEvent[]): void {
    if (events.length === 0) return;
    for (const l of this.listeners) {
      Promise.resolve()
        .then(() => l(events))
        .catch((e: unknown) =>
          process.stderr.write(`change listener failed: ${(e as Error).stack ?? String(e)}\n`),
        );
    }
  }
}

export function newRequestId(): string {
  return randomUUID();
}
