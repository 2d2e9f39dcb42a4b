import { Inject, Injectable } from '@nestjs/common';
import {
  EVENT_SETTINGS,
  InjectSql,
  retryDelayMs,
  sql,
  type EventSettings,
  type ObjectChangeEvent,
  type SqlRunner,
} from '@plinth/plugin-sdk';
import { TemplateEngine } from '../templates/engine';
import { checkAdditionalHeaders } from './headers';
import { sendWebhook, type SendResult, type WebhookTarget } from './http';
import { nautobotPayload } from './payload';
import { AddressPolicy } from './ssrf';

interface WebhookRow extends WebhookTarget {
  id: string;
  body_template: string;
  content_types: string[];
  type_create: boolean;
  type_update: boolean;
  type_delete: boolean;
}

interface ClaimedDelivery {
  id: string;
  attempts: number;
  payload: string;
  webhook_id: string;
}

const EVENT_FLAG = { created: 'type_create', updated: 'type_update', deleted: 'type_delete' } as const;
// Claims are UPDATEs in a CTE: TypeORM answers a bare UPDATE ... RETURNING with [rows, affected].

/** How long a claimed delivery is hidden from other workers (a crashed attempt comes back). */
const LEASE_SECONDS = 120;

export type AttemptOutcome = 'succeeded' | 'retry' | 'failed';

/**
 * Webhook deliveries: one row per (webhook, change), attempted at once, retried with the
 * outbox's backoff (EVENT_SETTINGS) until max_attempts, then kept as failed with the last
 * response or error. Rows are the delivery log the API and UI show.
 */
@Injectable()
export class WebhookDeliveries {
  readonly policy: AddressPolicy;
  /** Attempts per outcome in this process (the `extras_webhook_delivery_attempts_total` metric). */
  readonly outcomes: Record<AttemptOutcome, number> = { succeeded: 0, retry: 0, failed: 0 };

  constructor(
    @InjectSql() private readonly db: SqlRunner,
    @Inject(EVENT_SETTINGS) private readonly settings: EventSettings,
    @Inject(TemplateEngine) private readonly templates: TemplateEngine,
  ) {
    this.policy = new AddressPolicy(settings.webhook_allowed_hosts);
  }

  /** Store one pending delivery per matching enabled webhook and change; returns their ids. */
  async create(events: readonly ObjectChangeEvent[]): Promise<string[]> {
    const hooks = await this.db.query<WebhookRow & Record<string, unknown>>(
      sql`SELECT "id", "content_types", "type_create", "type_update", "type_delete" FROM "extras_webhook" WHERE "enabled"`,
    );
    const rows = events.flatMap((e) =>
      hooks
        .filter((h) => h.content_types.includes(e.model) && h[EVENT_FLAG[e.event]])
        .map(
          (h) =>
            sql`(gen_random_uuid(), now(), now(), ${h.id}::uuid, ${e.event}, ${e.model}, ${e.object_id}::uuid, ${e.request_id}::uuid, 'pending', 0, now(), '', '', ${JSON.stringify(nautobotPayload(e))})`,
        ),
    );
    const ids: string[] = [];
    for (let i = 0; i < rows.length; i += 500) {
      const inserted = await this.db.query<{ id: string }>(
        sql`INSERT INTO "extras_webhookdelivery" ("id", "created", "last_updated", "webhook_id", "event", "changed_object_type", "changed_object_id", "request_id", "status", "attempts", "next_attempt", "response_body", "error", "payload") VALUES ${sql.join(rows.slice(i, i + 500))} RETURNING "id"`,
      );
      ids.push(...inserted.map((r) => r.id));
    }
    return ids;
  }

  /** Attempt due deliveries (the given ones, or every due one); returns how many were attempted. */
  async attemptDue(ids?: readonly string[]): Promise<number> {
    const only = ids ? sql` AND "id" = ANY(${[...ids]}::uuid[])` : sql.empty;
    let attempted = 0;
    for (;;) {
      const claimed = await this.db.query<ClaimedDelivery & Record<string, unknown>>(
        sql`WITH claimed AS (UPDATE "extras_webhookdelivery" SET "attempts" = "attempts" + 1, "next_attempt" = now() + (${LEASE_SECONDS}::int * interval '1 second')
            WHERE "id" IN (SELECT "id" FROM "extras_webhookdelivery" WHERE "status" = 'pending' AND "next_attempt" <= now()${only}
                           ORDER BY "created" LIMIT 50 FOR UPDATE SKIP LOCKED)
            RETURNING "id", "attempts", "payload", "webhook_id") SELECT * FROM claimed`,
      );
      for (const d of claimed) await this.attempt(d, false);
      attempted += claimed.length;
      if (ids || claimed.length < 50) return attempted;
    }
  }

  /**
   * Send a delivery again now, whatever its state (one attempt: a failure is final). 404-like
   * null when there is no such delivery.
   */
  async resend(id: string): Promise<AttemptOutcome | null> {
    const [d] = await this.db.query<ClaimedDelivery & Record<string, unknown>>(
      sql`WITH claimed AS (UPDATE "extras_webhookdelivery" SET "attempts" = "attempts" + 1, "status" = 'pending', "next_attempt" = now() + (${LEASE_SECONDS}::int * interval '1 second')
          WHERE "id" = ${id}::uuid RETURNING "id", "attempts", "payload", "webhook_id") SELECT * FROM claimed`,
    );
    return d ? this.attempt(d, true) : null;
  }

  private async attempt(d: ClaimedDelivery, manual: boolean): Promise<AttemptOutcome> {
    const [hook] = await this.db.query<WebhookRow & Record<string, unknown>>(
      sql`SELECT * FROM "extras_webhook" WHERE "id" = ${d.webhook_id}::uuid`,
    );
    const request = hook ? await this.render(hook, d.payload) : null;
    const result: SendResult = !hook
      ? { ok: false, response_code: null, response_body: '', error: 'The webhook no longer exists.' }
      : 'error' in request!
        ? { ok: false, response_code: null, response_body: '', error: request!.error }
        : await sendWebhook(request!.target, request!.body, this.policy);
    // A template that fails renders the same way next time: no point in retrying it.
    const final =
      manual || d.attempts >= this.settings.max_attempts || (request !== null && 'error' in request);
    const outcome: AttemptOutcome = result.ok ? 'succeeded' : final ? 'failed' : 'retry';
    const next =
      outcome === 'retry'
        ? sql`now() + (${retryDelayMs(d.attempts, this.settings.retry_base_ms)}::int * interval '1 millisecond')`
        : sql`NULL`;
    await this.db.query(
      sql`UPDATE "extras_webhookdelivery" SET "status" = ${outcome === 'retry' ? 'pending' : outcome}, "next_attempt" = ${next},
          "last_attempt" = now(), "last_updated" = now(), "response_code" = ${result.response_code},
          "response_body" = ${result.response_body.replace(/\0/g, '')}, "error" = ${result.error} WHERE "id" = ${d.id}::uuid`,
    );
    this.outcomes[outcome]++;
    return outcome;
  }

  /**
   * The request of a delivery: headers and body rendered in the template sandbox with the
   * Nautobot payload as context (the body is that payload as JSON when there is no template).
   */
  private async render(
    hook: WebhookRow,
    payload: string,
  ): Promise<{ target: WebhookTarget; body: string } | { error: string }> {
    const templated = [hook.body_template, hook.additional_headers].some((t) => /\{[{%#]/.test(t));
    if (!templated) return { target: hook, body: payload };
    const context = JSON.parse(payload) as Record<string, unknown>;
    // One worker round trip for both: the body (when templated) and the headers.
    const jobs = [
      ...(hook.body_template ? [{ source: hook.body_template, context }] : []),
      { source: hook.additional_headers, context },
    ];
    const outputs: string[] = [];
    for (const r of await this.templates.renderMany(jobs)) {
      if (!r.ok) return { error: `Template error: ${r.error}` };
      outputs.push(r.output);
    }
    const body = hook.body_template ? outputs[0] : payload;
    const headers = outputs[outputs.length - 1];
    const problem = checkAdditionalHeaders(headers);
    if (problem) return { error: `additional_headers: ${problem}` };
    return { target: { ...hook, additional_headers: headers }, body };
  }

  /** Drop finished deliveries older than the retention period (none when it is 0). */
  async prune(): Promise<number> {
    if (this.settings.retention_days <= 0) return 0;
    const [row] = await this.db.query<{ n: number }>(
      sql`WITH d AS (DELETE FROM "extras_webhookdelivery" WHERE "status" <> 'pending' AND "created" < now() - (${this.settings.retention_days}::int * interval '1 day') RETURNING 1) SELECT count(*)::int AS n FROM d`,
    );
    return row.n;
  }

  /** Deliveries per status (the `extras_webhook_deliveries` metric). */
  async countByStatus(): Promise<{ status: string; n: number }[]> {
    return this.db.query<{ status: string; n: number }>(
      sql`SELECT "status", count(*)::int AS n FROM "extras_webhookdelivery" GROUP BY "status"`,
    );
  }
}
