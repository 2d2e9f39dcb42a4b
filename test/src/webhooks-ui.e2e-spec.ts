import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { QueueService } from '@plinth/core';
import { createTestApp, onDatabase, testDatabaseKind, type TestApp } from '@plinth/testing';
import { launchChromium } from './ui-helpers';

const ARTIFACTS = path.resolve(__dirname, '..', '..', 'test-artifacts', 'ui', testDatabaseKind());

/** Webhooks in a browser: the add form (field errors), the delivery log, a failed delivery, Re-send. */
describe(onDatabase('webhook delivery log in a browser'), () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let receiver: http.Server;
  let status = 500;
  const errors: string[] = [];
  const shot = (name: string) =>
    page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    receiver = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(status);
        res.end(status === 500 ? '<b>receiver exploded</b>' : 'thanks');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    t = await createTestApp({
      env: {
        PLINTH_WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
        PLINTH_EVENTS_RETRY_BASE_MS: '50',
        PLINTH_EVENTS_SWEEP_MS: '50',
        PLINTH_EVENTS_MAX_ATTEMPTS: '2',
      },
    });
    await t.app.get(QueueService).startWorker();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', (e) => errors.push(e.message));
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await new Promise((r) => receiver.close(r));
  });

  it('creates a webhook, lists its failed delivery with the response, and re-sends it', async () => {
    const { port } = receiver.address() as AddressInfo;
    await page.goto(`${t.baseUrl}/login/?next=/extras/webhooks/add/`);
    await page.fill('#id_username', 'admin');
    await page.fill('#id_password', 'admin-password-1');
    await page.click('button[type=submit]');
    await page.waitForURL(`${t.baseUrl}/extras/webhooks/add/`);

    // The webhook is created in the UI; a bad URL is refused on its field.
    await page.fill('#id_name', 'Receiver');
    await page.check('#id_type_create');
    // Plain inputs are filled before the Tom Select: after a pick it takes focus back on a timer, and
    // a fill racing that (Playwright types into whatever has focus) lands in its search box.
    await page.fill('#id_payload_url', 'file:///etc/passwd');
    // Tom Select: type to filter the content types, pick one.
    await page.click('[data-field="content_types"] .ts-control');
    await page.keyboard.type('tenancy.ten');
    await page
      .locator('[data-field="content_types"] .ts-dropdown .option', { hasText: 'tenancy.tenant' })
      .first()
      .click();
    await page.keyboard.press('Escape');
    await expect(page.inputValue('#id_payload_url')).resolves.toBe('file:///etc/passwd');
    await page.click('form.object-form button[type=submit]');
    await expect(page.locator('[data-field="payload_url"]').innerText()).resolves.toContain(
      'Only http:// and https:// URLs are allowed.',
    );
    await shot('webhook-add-bad-url');
    await page.fill('#id_payload_url', `http://127.0.0.1:${port}/hook`);
    await page.click('form.object-form button[type=submit]');
    await page.waitForURL(/\/extras\/webhooks\/[0-9a-f-]{36}\/$/);
    await expect(page.locator('body').innerText()).resolves.toContain('tenancy.tenant');
    await shot('webhook-detail');

    await t.api.post('/api/tenancy/tenants/', { name: 'Browser Tenant' });
    const deadline = Date.now() + 20000;
    let delivery: { id: string } | undefined;
    while (!delivery && Date.now() < deadline) {
      delivery = (await t.api.get('/api/extras/webhook-deliveries/?status=failed')).body.results[0];
      if (!delivery) await new Promise((r) => setTimeout(r, 50));
    }
    expect(delivery).toBeDefined();

    await page.goto(`${t.baseUrl}/extras/webhook-deliveries/`);
    const table = await page.locator('table').first().innerText();
    expect(table).toContain('Failed');
    expect(table).toContain('500');
    expect(table).toContain('Receiver');
    expect(await page.locator('a[href="/extras/webhook-deliveries/add/"]').count()).toBe(0);
    await shot('webhook-deliveries-list');

    await page.goto(`${t.baseUrl}/extras/webhook-deliveries/${delivery!.id}/`);
    const body = await page.locator('body').innerText();
    expect(body).toContain('<b>receiver exploded</b>'); // the excerpt is shown as text, not markup
    expect(body).toContain('HTTP 500.');
    expect(await page.locator('b:has-text("receiver exploded")').count()).toBe(0);
    expect(body).toContain('"name":"Browser Tenant"');
    await shot('webhook-delivery-failed');

    status = 200;
    await page.click('button.webhook-resend');
    await page.waitForURL(/\?resent=succeeded$/);
    await expect(page.locator('.webhook-resent').innerText()).resolves.toContain('accepted');
    const after = await page.locator('body').innerText();
    expect(after).toContain('Succeeded');
    expect(after).toContain('thanks');
    await shot('webhook-delivery-resent');
    expect(errors).toEqual([]);
  });
});
