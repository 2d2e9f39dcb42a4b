import { createTestApp, onDatabase, type TestApp } from '@plinth/testing';

/** One sample line's value: `name{labels} value`. */
function sample(text: string, name: string, labels: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(labels));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe(onDatabase('Prometheus metrics'), () => {
  describe('with token access and a plugin', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({
        plugins: ['@plinth/plugin-example'],
        pluginsConfig: { example: { instance_name: 'lab' } },
        env: { PLINTH_METRICS_OBJECT_COUNT_TTL_S: '0' },
      });
    });
    afterAll(async () => {
      await t?.close();
    });

    it('refuses anonymous and non-staff clients', async () => {
      expect((await t.http().get('/metrics')).status).toBe(401);
      const { token } = await t.createUser('plain');
      const res = await t.http().get('/metrics').set('Authorization', `Token ${token}`);
      expect(res.status).toBe(403);
    });

    it('serves process, HTTP, SQL, queue, event, object count and plugin metrics', async () => {
      await t.api.post('/api/tenancy/tenants/', { name: 'Metered' });
      await t.api.get('/api/tenancy/tenants/');
      const res = await t.http().get('/metrics').set('Authorization', `Token ${t.api.token}`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = res.text;
      for (const name of [
        'process_cpu_seconds_total',
        'process_resident_memory_bytes',
        'nodejs_heap_size_used_bytes',
        'nodejs_eventloop_lag_seconds',
        'plinth_queue_depth',
        'plinth_event_outbox',
      ])
        expect([name, text.includes(`\n${name}`)]).toEqual([name, true]);
      expect(
        sample(
          text,
          'plinth_http_request_duration_seconds_count',
          'method="GET",route="/api/tenancy/tenants",status="200"',
        ),
      ).toBe(1);
      expect(
        sample(
          text,
          'plinth_http_request_duration_seconds_count',
          'method="POST",route="/api/tenancy/tenants",status="201"',
        ),
      ).toBe(1);
      expect(sample(text, 'plinth_sql_queries_total', 'kind="select"')).toBeGreaterThan(0);
      expect(sample(text, 'plinth_objects', 'model="tenancy.tenant"')).toBe(1);
      expect(sample(text, 'plinth_objects', 'model="users.user"')).toBe(2);
      expect(sample(text, 'extras_webhook_deliveries', 'status="failed"')).toBe(0);
      expect(sample(text, 'example_widget_events_total', 'event="created"')).toBe(0);

      await t.api.post('/api/plugins/example/widgets/', {
        name: 'm',
        kind: 'gizmo',
        status: 'Active',
        owner: 'admin',
      });
      // No worker runs in this app: the event waits in the outbox.
      const again = (await t.http().get('/metrics').set('Authorization', `Token ${t.api.token}`)).text;
      expect(sample(again, 'plinth_event_outbox', 'status="pending"')).toBe(1);
      expect(sample(again, 'plinth_objects', 'model="example.widget"')).toBe(1);
    });
  });

  it('serves allow-listed addresses without a token, and only enabled plugins’ metrics', async () => {
    const t = await createTestApp({ env: { PLINTH_METRICS_ALLOWED_IPS: '10.0.0.0/8,127.0.0.1' } });
    try {
      const res = await t.http().get('/metrics');
      expect(res.status).toBe(200);
      expect(res.text).toContain('plinth_objects{model="tenancy.tenant"} 0');
      expect(res.text).not.toContain('example_widget_events_total');
    } finally {
      await t.close();
    }
  });

  it('is off when PLINTH_METRICS_ENABLED=false', async () => {
    const t = await createTestApp({ env: { PLINTH_METRICS_ENABLED: 'false' } });
    try {
      const res = await t.http().get('/metrics').set('Authorization', `Token ${t.api.token}`);
      expect(res.status).toBe(404);
    } finally {
      await t.close();
    }
  });
});
