import { Inject, Injectable } from '@nestjs/common';
import {
  EVENT_SETTINGS,
  sql,
  type EventSettings,
  type EventSubscriber,
  type JobDefinition,
  type MetricDefinition,
  type ObjectChangeEvent,
  type SqlRunner,
} from '@plinth/plugin-sdk';
import { WebhookDeliveries } from './deliveries';

/**
 * Webhooks are an event subscriber like any plugin's: the outbox stores a transaction's changes
 * for it (those some enabled webhook wants) and hands them over after commit; it turns them
 * into deliveries and attempts them.
 */
@Injectable()
export class WebhookEventSubscriber implements EventSubscriber {
  readonly name = 'extras.webhooks';

  constructor(@Inject(WebhookDeliveries) private readonly deliveries: WebhookDeliveries) {}

  /** Only the changes some enabled webhook wants are stored (nothing while there is none). */
  async select(db: SqlRunner, events: readonly ObjectChangeEvent[]): Promise<readonly ObjectChangeEvent[]> {
    const models = [...new Set(events.map((e) => e.model))];
    const hooks = await db.query<{ content_types: string[]; c: boolean; u: boolean; d: boolean }>(
      sql`SELECT "content_types", "type_create" AS c, "type_update" AS u, "type_delete" AS d FROM "extras_webhook"
          WHERE "enabled" AND "content_types" && ${models}::varchar[]`,
    );
    const flag = { created: 'c', updated: 'u', deleted: 'd' } as const;
    return events.filter((e) => hooks.some((h) => h[flag[e.event]] && h.content_types.includes(e.model)));
  }

  async handle(events: readonly ObjectChangeEvent[]): Promise<void> {
    const ids = await this.deliveries.create(events);
    if (ids.length) await this.deliveries.attemptDue(ids);
  }
}

/**
 * Retries of failed deliveries, when due (and deliveries a crash left behind); once an hour it
 * also drops finished deliveries older than PLINTH_CHANGELOG_RETENTION_DAYS.
 */
@Injectable()
export class WebhookRetryJob implements JobDefinition {
  readonly name = 'extras.webhook-retries';
  readonly description = 'Send webhook deliveries whose retry is due.';
  readonly every_ms: number;

  constructor(
    @Inject(WebhookDeliveries) private readonly deliveries: WebhookDeliveries,
    @Inject(EVENT_SETTINGS) settings: EventSettings,
  ) {
    this.every_ms = settings.sweep_ms;
  }

  private lastPrune = 0;

  async run(): Promise<unknown> {
    const attempted = await this.deliveries.attemptDue();
    // The delivery log keeps finished deliveries as long as change records; pruned hourly.
    let pruned = 0;
    if (Date.now() - this.lastPrune > 3600_000) {
      this.lastPrune = Date.now();
      pruned = await this.deliveries.prune();
    }
    return { attempted, pruned };
  }
}

/** `extras_webhook_deliveries{status}` (stored deliveries) and attempts by outcome in this process. */
@Injectable()
export class WebhookDeliveriesMetric implements MetricDefinition {
  readonly name = 'extras_webhook_deliveries';
  readonly help = 'Webhook deliveries in the delivery log, by status.';
  readonly type = 'gauge' as const;
  readonly labelNames = ['status'];
  // Read from the database: the same in every server process of a host, counted once.
  readonly aggregate = 'first' as const;

  constructor(@Inject(WebhookDeliveries) private readonly deliveries: WebhookDeliveries) {}

  async collect() {
    const rows = await this.deliveries.countByStatus();
    return ['pending', 'succeeded', 'failed'].map((status) => ({
      labels: { status },
      value: rows.find((r) => r.status === status)?.n ?? 0,
    }));
  }
}

@Injectable()
export class WebhookAttemptsMetric implements MetricDefinition {
  readonly name = 'extras_webhook_delivery_attempts_total';
  readonly help =
    'Webhook delivery attempts made by this process, by outcome (retry: failed, will be retried).';
  readonly type = 'counter' as const;
  readonly labelNames = ['outcome'];

  constructor(@Inject(WebhookDeliveries) private readonly deliveries: WebhookDeliveries) {}

  collect() {
    return Object.entries(this.deliveries.outcomes).map(([outcome, value]) => ({
      labels: { outcome },
      value,
    }));
  }
}
