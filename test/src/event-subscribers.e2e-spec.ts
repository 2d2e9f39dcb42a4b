import { EventSubscribers, type EventSubscriber, type ObjectChangeEvent } from '@plinth/plugin-sdk';
import { QueueService } from '@plinth/core';
import { createTestApp, onDatabase, type TestApp, until } from '@plinth/testing';

const WIDGETS = '/api/plugins/example/widgets/';

type Counter = EventSubscriber & { counts: Record<ObjectChangeEvent['event'], number> };

/**
 * Plugin event subscribers (the example plugin's widget counter): handed committed changes
 * through the outbox after commit, at least once, retried while they fail, nothing for a write
 * that rolls back; given-up events stay in the outbox as failed.
 */
describe(onDatabase('plugin event subscribers'), () => {
  let t: TestApp;
  let counter: Counter;

  beforeAll(async () => {
    t = await createTestApp({
      plugins: ['@plinth/plugin-example'],
      pluginsConfig: { example: { instance_name: 'lab' } },
      env: {
        PLINTH_EVENTS_RETRY_BASE_MS: '100',
        PLINTH_EVENTS_SWEEP_MS: '50',
        PLINTH_EVENTS_MAX_ATTEMPTS: '3',
      },
    });
    counter = t.ctx.registries
      .get(EventSubscribers)
      .items()
      .find((s) => s.name === 'example.widget-events') as Counter;
    await t.app.get(QueueService).startWorker();
  });
  afterAll(async () => {
    await t?.close();
  });

  const widget = (name: string) => ({ name, kind: 'gizmo', status: 'Active', owner: 'admin' });
  const outbox = () =>
    t.sql<{ subscriber: string; status: string; attempts: number; last_error: string }>(
      `SELECT subscriber, status, attempts, last_error FROM core_eventoutbox WHERE subscriber = 'example.widget-events'`,
    );

  it('hands committed widget changes to the subscriber after commit', async () => {
    expect(counter).toBeDefined();
    const created = await t.api.post(WIDGETS, widget('w1'));
    expect(created.status).toBe(201);
    await t.api.patch(`${WIDGETS}${created.body.id}/`, { quantity: 3 });
    await t.api.delete(`${WIDGETS}${created.body.id}/`);
    await until('three events', async () => counter.counts.deleted === 1);
    expect(counter.counts).toEqual({ created: 1, updated: 1, deleted: 1 });
    expect(await outbox()).toEqual([]);
  });

  it('stores nothing for a write that rolls back', async () => {
    const bulk = await t.api.post(WIDGETS, [widget('ok'), widget('')]);
    expect(bulk.status).toBe(400);
    await t.api.post(WIDGETS, widget('after'));
    await until('the committed create', async () => counter.counts.created === 2);
    expect(counter.counts.created).toBe(2);
    expect(await outbox()).toEqual([]);
  });

  it('retries a failing subscriber with backoff, then keeps what it gave up on', async () => {
    const handle = jest.spyOn(counter, 'handle');
    handle.mockRejectedValueOnce(new Error('downstream unavailable'));
    await t.api.post(WIDGETS, widget('retried'));
    await until('the retried create', async () => counter.counts.created === 3);
    expect(handle).toHaveBeenCalledTimes(2);
    expect(handle.mock.calls[1][0]).toEqual([
      expect.objectContaining({ event: 'created', model: 'example.widget' }),
    ]);

    handle.mockRejectedValue(new Error('still broken'));
    await t.api.post(WIDGETS, widget('given-up'));
    const [row] = await until('the row to be given up', async () => {
      const rows = await outbox();
      return rows[0]?.status === 'failed' && rows;
    });
    expect(row).toEqual({
      subscriber: 'example.widget-events',
      status: 'failed',
      attempts: 3,
      last_error: 'still broken',
    });
    handle.mockRestore();
    expect(counter.counts.created).toBe(3);
  });
});
