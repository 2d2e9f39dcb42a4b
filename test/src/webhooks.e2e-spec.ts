import { createHmac } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { QueueService } from '@plinth/core';
import { WebhookDeliveries } from '@plinth/extras';
import { createTestApp, onDatabase, type TestApp, until } from '@plinth/testing';

const HOOKS = '/api/extras/webhooks/';
const DELIVERIES = '/api/extras/webhook-deliveries/';
const TENANTS = '/api/tenancy/tenants/';

interface Received {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
}

/** A real HTTP receiver: records every request; answers per path from a queue of statuses (then 200). */
class Receiver {
  readonly received: Received[] = [];
  readonly answers = new Map<string, { status: number; body?: string; location?: string }[]>();
  private server!: http.Server;
  url = '';

  async start(host: string): Promise<void> {
    this.server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        const path = req.url ?? '/';
        this.received.push({ method: req.method ?? '', path, headers: req.headers, body, at: Date.now() });
        const queue = this.answers.get(path);
        const a = (queue && queue.length > 1 ? queue.shift() : queue?.[0]) ?? { status: 200 };
        res.writeHead(a.status, a.location ? { location: a.location } : {});
        res.end(a.body ?? 'ok');
      });
    });
    await new Promise<void>((r) => this.server.listen(0, host, r));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://${host}:${port}`;
  }

  on(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  close(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}

/** A delivery as the REST API shows it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Delivery = Record<string, any>;

/**
 * Webhooks through the transactional outbox, delivered to real HTTP receivers on loopback. The
 * allow-list names 127.0.0.2 only (the receiver's address), so 127.0.0.1, ::1, localhost and
 * the other private and link-local addresses must be refused.
 */
// With PLINTH_TEST_REDIS_URL the queue is Bull on Redis (this process is the worker).
const REDIS = process.env.PLINTH_TEST_REDIS_URL;

describe(onDatabase(`webhooks (${REDIS ? 'Bull/Redis' : 'in-process'} queue)`), () => {
  let t: TestApp;
  const rx = new Receiver();
  /** Where a redirect points: loopback, not allow-listed. */
  const target = new Receiver();

  beforeAll(async () => {
    await rx.start('127.0.0.2');
    await target.start('127.0.0.1');
    t = await createTestApp({
      env: {
        PLINTH_WEBHOOK_ALLOWED_HOSTS: '127.0.0.2',
        PLINTH_EVENTS_RETRY_BASE_MS: '150',
        PLINTH_EVENTS_SWEEP_MS: '50',
        PLINTH_EVENTS_MAX_ATTEMPTS: '3',
        ...(REDIS ? { REDIS_URL: REDIS } : {}),
      },
    });
    await t.app.get(QueueService).startWorker();
  });
  afterAll(async () => {
    await t?.close();
    await rx.close();
    await target.close();
  });

  async function hook(name: string, path: string, extra: Record<string, unknown> = {}): Promise<string> {
    const res = await t.api.post(HOOKS, {
      name,
      content_types: ['tenancy.tenant'],
      type_create: true,
      type_update: true,
      type_delete: true,
      payload_url: `${rx.url}${path}`,
      ...extra,
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  async function deliveriesOf(webhook: string, extra = ''): Promise<Delivery[]> {
    return (await t.api.get(`${DELIVERIES}?webhook=${webhook}&limit=100${extra}`)).body.results;
  }

  it('refuses bad webhooks with a 400 naming the field', async () => {
    const base = {
      name: 'bad',
      content_types: ['tenancy.tenant'],
      type_create: true,
      payload_url: 'https://example.com/',
    };
    const cases: [Record<string, unknown>, string][] = [
      [{ payload_url: 'ftp://example.com/x' }, 'payload_url'],
      [{ payload_url: 'file:///etc/passwd' }, 'payload_url'],
      [{ payload_url: 'not a url' }, 'payload_url'],
      [{ payload_url: 'http://user:pw@example.com/' }, 'payload_url'],
      [{ type_create: false }, 'type_create'],
      [{ content_types: ['no.such'] }, 'content_types'],
      [{ content_types: [] }, 'content_types'],
      [{ additional_headers: 'X-Ok: 1\nbroken line' }, 'additional_headers'],
      [{ additional_headers: 'Host: evil' }, 'additional_headers'],
      [{ http_method: 'TRACE' }, 'http_method'],
      [{ ca_file_path: 'relative.pem' }, 'ca_file_path'],
      [{ body_template: '{{ data.name ' }, 'body_template'],
      [{ additional_headers: 'X-Event: {% if %}' }, 'additional_headers'],
    ];
    for (const [change, field] of cases) {
      const res = await t.api.post(HOOKS, { ...base, ...change });
      expect([res.status, Object.keys(res.body)]).toEqual([400, [field]]);
    }
    expect((await t.api.get(HOOKS)).body.count).toBe(0);
  });

  it('delivers Nautobot payloads signed with X-Hook-Signature after commit', async () => {
    const id = await hook('signed', '/signed', {
      secret: 's3cret',
      additional_headers: 'X-Team: netops\nAuthorization: Bearer abc',
    });
    const shown = await t.api.get(`${HOOKS}${id}/`);
    expect(shown.body).toMatchObject({
      name: 'signed',
      http_method: { value: 'POST' },
      http_content_type: 'application/json',
      enabled: true,
    });
    expect(shown.body.secret).toBeUndefined();

    const created = await t.api.post(TENANTS, { name: 'Acme' });
    expect(created.status).toBe(201);
    const [req] = await until(
      'the create delivery',
      async () => rx.on('/signed').length >= 1 && rx.on('/signed'),
    );
    expect(req.method).toBe('POST');
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['x-team']).toBe('netops');
    expect(req.headers.authorization).toBe('Bearer abc');
    expect(req.headers['x-hook-signature']).toBe(
      createHmac('sha512', 's3cret').update(req.body).digest('hex'),
    );
    const body = JSON.parse(req.body);
    expect(body).toMatchObject({
      event: 'created',
      model: 'tenant',
      username: 'admin',
      data: { id: created.body.id, name: 'Acme' },
      snapshots: { prechange: null, postchange: { name: 'Acme' } },
    });
    expect(typeof body.request_id).toBe('string');
    expect(new Date(body.timestamp).getTime()).not.toBeNaN();

    await t.api.patch(`${TENANTS}${created.body.id}/`, { description: 'changed' });
    const update = await until('the update delivery', async () => rx.on('/signed')[1]);
    expect(JSON.parse(update.body)).toMatchObject({
      event: 'updated',
      snapshots: { differences: { removed: { description: '' }, added: { description: 'changed' } } },
    });

    const log = await until('the delivery log', async () => {
      const rows = await deliveriesOf(id);
      return rows.length === 2 && rows.every((r) => r.status.value === 'succeeded') && rows;
    });
    expect(log[0]).toMatchObject({
      response_code: 200,
      response_body: 'ok',
      attempts: 1,
      changed_object_type: 'tenancy.tenant',
    });
    await t.api.patch(`${HOOKS}${id}/`, { enabled: false });
  });

  it('renders body and header templates in the sandbox, signing what is sent', async () => {
    const id = await hook('templated', '/templated', {
      secret: 'k',
      http_content_type: 'text/plain',
      additional_headers: 'X-Event: {{ event }}-{{ model }}',
      body_template:
        '{{ username }} {{ event }} {{ data.name | upper }} ({{ snapshots.postchange.description }})',
    });
    await t.api.post(TENANTS, { name: 'Templated', description: 'via <template> & "quotes"' });
    const [req] = await until(
      'the templated delivery',
      async () => rx.on('/templated').length >= 1 && rx.on('/templated'),
    );
    // Not HTML: nothing is escaped.
    expect(req.body).toBe('admin created TEMPLATED (via <template> & "quotes")');
    expect(req.headers['x-event']).toBe('created-tenant');
    expect(req.headers['content-type']).toBe('text/plain');
    expect(req.headers['x-hook-signature']).toBe(createHmac('sha512', 'k').update(req.body).digest('hex'));
    await t.api.patch(`${HOOKS}${id}/`, { enabled: false });

    // A template that escapes nothing, or fails, fails its delivery at once (no retries), and
    // nothing is sent.
    const evil = await hook('evil', '/evil', {
      body_template: '{{ range.constructor("return process")().pid }}',
    });
    await t.api.post(TENANTS, { name: 'Evil' });
    const [failed] = await until('the failed delivery', async () => {
      const rows = await deliveriesOf(evil);
      return rows.length === 1 && rows[0].status.value === 'failed' && rows;
    });
    expect(failed.attempts).toBe(1);
    expect(failed.error).toMatch(/^Template error: /);
    expect(rx.on('/evil')).toHaveLength(0);
    await t.api.patch(`${HOOKS}${evil}/`, { enabled: false });
  });

  it('sends nothing for a write that rolls back', async () => {
    const id = await hook('rollback', '/rollback');
    const bulk = await t.api.post(TENANTS, [{ name: 'Rolled Back One' }, { name: '' }]);
    expect(bulk.status).toBe(400);
    expect(bulk.body[1].name).toBeDefined();
    // A later committed write is delivered; the rolled-back one (earlier) never is.
    await t.api.post(TENANTS, { name: 'Committed' });
    await until('the committed delivery', async () => rx.on('/rollback').length >= 1);
    const names = rx.on('/rollback').map((r) => JSON.parse(r.body).data.name);
    expect(names).toEqual(['Committed']);
    expect(await deliveriesOf(id)).toHaveLength(1);
    const leftovers = await t.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM core_eventoutbox WHERE events::text LIKE '%Rolled Back%'`,
    );
    expect(leftovers[0].n).toBe(0);
    await t.api.patch(`${HOOKS}${id}/`, { enabled: false });
  });

  it('retries failures with exponential backoff until the receiver answers', async () => {
    rx.answers.set('/flaky', [{ status: 500 }, { status: 502 }, { status: 200 }]);
    const id = await hook('flaky', '/flaky');
    await t.api.post(TENANTS, { name: 'Flaky' });
    const [d] = await until('the third attempt to succeed', async () => {
      const rows = await deliveriesOf(id);
      return rows[0]?.status.value === 'succeeded' && rows;
    });
    expect(d).toMatchObject({ attempts: 3, response_code: 200 });
    const at = rx.on('/flaky').map((r) => r.at);
    expect(at).toHaveLength(3);
    // Backoff 150 ms, then 300 ms (each at least the delay; the second longer than the first).
    expect(at[1] - at[0]).toBeGreaterThanOrEqual(140);
    expect(at[2] - at[1]).toBeGreaterThanOrEqual(290);
    await t.api.patch(`${HOOKS}${id}/`, { enabled: false });
  });

  it('keeps failed deliveries with the response, and re-sends them on request', async () => {
    rx.answers.set('/down', [{ status: 503, body: `down for maintenance ${'x'.repeat(3000)}` }]);
    const id = await hook('down', '/down');
    await t.api.post(TENANTS, { name: 'Down' });
    const [d] = await until('the delivery to be given up', async () => {
      const rows = await deliveriesOf(id, '&status=failed');
      return rows.length === 1 && rows;
    });
    expect(d).toMatchObject({ attempts: 3, response_code: 503, next_attempt: null, error: 'HTTP 503.' });
    expect(d.response_body).toMatch(/^down for maintenance x+$/);
    expect(d.response_body).toHaveLength(1000);
    expect(rx.on('/down')).toHaveLength(3);

    // Read-only log: no writes through the generic endpoints.
    expect((await t.api.patch(`${DELIVERIES}${d.id}/`, { status: 'succeeded' })).status).toBe(405);
    // Re-sending needs change permission on webhooks.
    const viewer = await t.createUser('hook-viewer', [
      { actions: ['view'], object_types: ['extras.webhookdelivery', 'extras.webhook'] },
    ]);
    expect((await viewer.api.post(`${DELIVERIES}${d.id}/resend/`, {})).status).toBe(403);
    expect((await t.api.post(`${DELIVERIES}00000000-0000-4000-8000-000000000000/resend/`, {})).status).toBe(
      404,
    );

    rx.answers.set('/down', [{ status: 204, body: '' }]);
    const resent = await t.api.post(`${DELIVERIES}${d.id}/resend/`, {});
    expect(resent.status).toBe(200);
    expect(resent.body).toMatchObject({
      id: d.id,
      status: { value: 'succeeded' },
      response_code: 204,
      attempts: 4,
      error: '',
    });
    expect(rx.on('/down')).toHaveLength(4);
    expect(rx.on('/down')[3].body).toBe(rx.on('/down')[0].body);

    const gql = await t.api.post('/api/graphql/', {
      query: `{ webhook_deliveries(status: "succeeded", webhook: "${id}") { status attempts response_code } }`,
    });
    expect(gql.body.errors).toBeUndefined();
    expect(gql.body.data.webhook_deliveries).toEqual([
      { status: 'succeeded', attempts: 4, response_code: 204 },
    ]);
    await t.api.patch(`${HOOKS}${id}/`, { enabled: false });
  });

  it('drops finished deliveries older than the change log retention', async () => {
    const before = (await t.api.get(`${DELIVERIES}?limit=1`)).body.count as number;
    expect(before).toBeGreaterThan(2);
    await t.sql(
      `UPDATE extras_webhookdelivery SET created = now() - interval '91 days' WHERE id IN (SELECT id FROM extras_webhookdelivery ORDER BY created LIMIT 2)`,
    );
    expect(await t.app.get(WebhookDeliveries).prune()).toBe(2);
    expect((await t.api.get(`${DELIVERIES}?limit=1`)).body.count).toBe(before - 2);
  });

  it('refuses loopback, link-local, metadata and private addresses that are not allow-listed', async () => {
    const port = new URL(target.url).port;
    rx.answers.set('/redirect', [{ status: 302, location: `${target.url}/redirected` }]);
    const urls = [
      `http://127.0.0.1:${port}/direct`,
      `http://[::1]:${port}/v6`,
      `http://localhost:${port}/by-name`,
      `http://[::ffff:127.0.0.1]:${port}/mapped`,
      'http://169.254.169.254/latest/meta-data/',
      'http://10.1.2.3/internal',
      'http://192.168.1.1/router',
      'http://[fd00:ec2::254]/metadata',
      'http://0.0.0.0/any',
      `${rx.url}/redirect`,
    ];
    const ids: string[] = [];
    for (const [i, url] of urls.entries()) {
      const res = await t.api.post(HOOKS, {
        name: `ssrf-${i}`,
        content_types: ['tenancy.tenant'],
        type_create: true,
        payload_url: url,
      });
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }
    await t.api.post(TENANTS, { name: 'SSRF probe' });
    const failed = await until('every delivery to be given up', async () => {
      const rows = (await t.api.get(`${DELIVERIES}?status=failed&limit=100`)).body.results.filter(
        (r: Delivery) => ids.includes(r.webhook.id),
      );
      return rows.length === ids.length && rows;
    });
    for (const d of failed) {
      const url = urls[ids.indexOf(d.webhook.id)];
      if (url.endsWith('/redirect')) {
        expect(d).toMatchObject({ response_code: 302 });
        expect(d.error).toMatch(/^Redirect to .*\/redirected not followed\.$/);
      } else {
        expect([url, d.response_code]).toEqual([url, null]);
        expect([url, d.error]).toEqual([
          url,
          expect.stringMatching(/^Refused: .*PLINTH_WEBHOOK_ALLOWED_HOSTS/),
        ]);
      }
    }
    expect(target.received).toEqual([]);
    expect(rx.on('/redirect')).toHaveLength(3);
  });
});
