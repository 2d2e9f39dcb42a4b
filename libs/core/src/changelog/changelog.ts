import { randomUUID } from 'node:crypto';
import { sql, type ChangeSource, type ModelMeta } from '@plinth/plugin-sdk';
import type { EntityManager } from 'typeorm';
import { executor } from '../query/query-engine';
import { timestampParam } from '../models/values';

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

/** The columns written from arrays of values, with their types. */
const COLUMNS: readonly (readonly [string, string])[] = [
  ['id', 'uuid'],
  ['created', 'timestamptz'],
  ['last_updated', 'timestamptz'],
  ['time', 'timestamptz'],
  ['user_id', 'uuid'],
  ['user_name', 'varchar'],
  ['request_id', 'uuid'],
  ['action', 'varchar'],
  ['changed_object_type', 'varchar'],
  ['changed_object_id', 'uuid'],
  ['related_object_type', 'varchar'],
  ['related_object_id', 'uuid'],
  ['object_repr', 'varchar'],
  ['change_context', 'varchar'],
];
const COLUMN_LIST = sql.raw(COLUMNS.map(([c]) => `"${c}"`).join(', '));
const V_COLUMNS = sql.raw(COLUMNS.map(([c]) => `v."${c}"`).join(', '));
const CASTS = COLUMNS.map(([, type]) => type);

/** Writes ObjectChange rows in the caller's transaction, one multi-row INSERT per batch. */
export async function recordChanges(
  manager: EntityManager,
  actor: ChangeActor,
  entries: readonly ChangeEntry[],
  time: Date,
): Promise<ChangeEvent[]> {
  const logged = entries.filter((e) => e.model.has('changelog'));
  const stamp = timestampParam(time);
  const db = executor(manager);
  for (let i = 0; i < logged.length; i += 10_000) {
    const chunk = logged.slice(i, i + 10_000);
    const rows = chunk.map((e) => [
      randomUUID(),
      stamp,
      stamp,
      stamp,
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
    ]);
    // The columns go as arrays (a statement of 15 parameters, however many rows), the snapshots
    // as one JSON document of [before, after] pairs, zipped with them row by row (ROWS FROM), so
    // that no snapshot is escaped into an array literal. `object_data` is the snapshot after the
    // change (before it, for a delete): each is sent and parsed once.
    const arrays = CASTS.map((type, c) => sql`unnest(${rows.map((r) => r[c])}::${sql.raw(type)}[])`);
    const snapshots = JSON.stringify(chunk.map((e) => [e.prechange, e.postchange]));
    await db(
      sql`INSERT INTO "core_objectchange" (${COLUMN_LIST}, "prechange_data", "postchange_data", "object_data")
          SELECT ${V_COLUMNS}, v.pre, v.post, COALESCE(v.post, v.pre)
            FROM (SELECT *, NULLIF(d -> 0, 'null') AS pre, NULLIF(d -> 1, 'null') AS post
                    FROM ROWS FROM (${sql.join(arrays)}, jsonb_array_elements(${snapshots}::jsonb)) AS r(${COLUMN_LIST}, d)) v`,
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
