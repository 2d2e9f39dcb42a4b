import { Inject, Injectable } from '@nestjs/common';
import type { EventSubscriber, MetricDefinition, ObjectChangeEvent } from '@plinth/plugin-sdk';

type WidgetEvent = ObjectChangeEvent['event'];

/**
 * An event subscriber: told about widget changes after they commit, at least once (so it
 * handles them idempotently: a redelivered change is recognised and not counted twice).
 */
@Injectable()
export class WidgetEventCounter implements EventSubscriber {
  readonly name = 'example.widget-events';
  readonly models = ['example.widget'];

  readonly counts: Record<WidgetEvent, number> = { created: 0, updated: 0, deleted: 0 };
  private readonly seen = new Set<string>();

  handle(events: readonly ObjectChangeEvent[]): Promise<void> {
    for (const e of events) {
      const key = `${e.request_id}:${e.object_id}:${e.event}:${e.timestamp}`;
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      this.counts[e.event]++;
    }
    return Promise.resolve();
  }
}

/** The counts as a Prometheus metric (on /metrics while the plugin is enabled). */
@Injectable()
export class WidgetEventsMetric implements MetricDefinition {
  readonly name = 'example_widget_events_total';
  readonly help = 'Widget changes seen by the example plugin event subscriber, by event.';
  readonly type = 'counter' as const;
  readonly labelNames = ['event'];

  constructor(@Inject(WidgetEventCounter) private readonly counter: WidgetEventCounter) {}

  collect() {
    return Object.entries(this.counter.counts).map(([event, value]) => ({ labels: { event }, value }));
  }
}
