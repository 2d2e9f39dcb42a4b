import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { QueueService } from '@plinth/core';
import { createTestApp, onDatabase, testDatabaseKind, type TestApp } from '@plinth/testing';
import { TestRepository } from './git-fixtures';
import { launchChromium } from './ui-helpers';

const ARTIFACTS = path.resolve(__dirname, '..', '..', 'test-artifacts', 'ui', testDatabaseKind());
const VALUE = 'ui-secret-value-4411';

/** Secrets and Git repositories in a browser: secret and group forms, the repository form, Sync. */
describe(onDatabase('secrets and Git repositories in a browser'), () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let root: string;
  let repo: TestRepository;
  const errors: string[] = [];
  const shot = (name: string) =>
    page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'plinth-git-ui-'));
    repo = new TestRepository(root, 'templates');
    process.env.PLINTH_TEST_UI_SECRET = VALUE;
    t = await createTestApp({
      env: {
        PLINTH_GIT_ROOT: path.join(root, 'checkouts'),
        PLINTH_GIT_FILE_ROOTS: path.join(root, 'mirrors'),
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
    fs.rmSync(root, { recursive: true, force: true });
  });

  /** Pick an option of a select (a Tom Select when the page enhanced it), by its text. */
  async function pick(field: string, label: string): Promise<void> {
    const ts = page.locator(`[data-field="${field}"] .ts-control`);
    if (await ts.count()) {
      await ts.click();
      await page.keyboard.type(label.slice(0, 6));
      await page.locator(`[data-field="${field}"] .ts-dropdown .option`, { hasText: label }).first().click();
      // Focus leaves the select, so a search answer arriving late cannot reopen its dropdown over
      // the next field.
      await page.keyboard.press('Escape');
      await page.locator(`[data-field="${field}"] .ts-control input`).blur();
      await page.locator(`[data-field="${field}"] .ts-dropdown`).waitFor({ state: 'hidden' });
    } else {
      await page.selectOption(`#id_${field}`, { label });
    }
  }

  async function submit(): Promise<void> {
    await page.click('form.object-form button[type=submit]');
  }

  it('creates a secret and a group, a repository using it, syncs it and shows the current head', async () => {
    await page.goto(`${t.baseUrl}/login/?next=/extras/secrets/add/`);
    await page.fill('#id_username', 'admin');
    await page.fill('#id_password', 'admin-password-1');
    await page.click('button[type=submit]');
    await page.waitForURL(`${t.baseUrl}/extras/secrets/add/`);

    // A bad parameter is refused on the form.
    await page.fill('#id_name', 'UI token');
    await page.fill('#id_parameters', '{"variable": "not a name"}');
    await pick('provider', 'Environment Variable');
    await submit();
    await expect(page.locator('body').innerText()).resolves.toContain('Enter an environment variable name');
    await shot('secret-add-bad-parameter');
    await page.fill('#id_parameters', '{"variable": "PLINTH_TEST_UI_SECRET"}');
    await submit();
    await page.waitForURL(/\/extras\/secrets\/[0-9a-f-]{36}\/$/);
    const secretPage = await page.locator('body').innerText();
    expect(secretPage).toContain('PLINTH_TEST_UI_SECRET');
    expect(secretPage).not.toContain(VALUE);
    await shot('secret-detail');

    await page.goto(`${t.baseUrl}/extras/secrets-groups/add/`);
    await page.fill('#id_name', 'UI group');
    await submit();
    await page.waitForURL(/\/extras\/secrets-groups\/[0-9a-f-]{36}\/$/);

    // The group's page lists its secrets and adds one to it.
    await page.click('a:has-text("Add a secret")');
    await page.waitForURL(/\/extras\/secrets-groups-associations\/add\/\?secrets_group=/);
    await pick('access_type', 'HTTP(S)');
    await pick('secret_type', 'Token');
    await pick('secret', 'UI token');
    await submit();
    await page.waitForURL(/\/extras\/secrets-groups-associations\/[0-9a-f-]{36}\/$/);
    await shot('secrets-group-association');
    const groupId = (await t.api.get('/api/extras/secrets-groups/?name=UI%20group')).body.results[0]
      .id as string;
    await page.goto(`${t.baseUrl}/extras/secrets-groups/${groupId}/`);
    const groupPage = await page.locator('table.secrets-group-secrets').innerText();
    expect(groupPage).toContain('HTTP(S)');
    expect(groupPage).toContain('Token');
    expect(groupPage).toContain('UI token');
    expect(await page.locator('body').innerText()).not.toContain(VALUE);
    await shot('secrets-group-detail');

    const head = repo.commit({ 'export_templates/tenancy/tenant/ui.txt': '{{ queryset | length }}' });
    await page.goto(`${t.baseUrl}/extras/git-repositories/add/`);
    await page.fill('#id_name', 'UI repo');
    await page.fill('#id_slug', 'ui-repo');
    await page.fill('#id_remote_url', `file://${repo.bare}`);
    await page.fill('#id_branch', 'main');
    await pick('secrets_group', 'UI group');
    await pick('provided_contents', 'export templates');
    await shot('git-repository-form');
    await submit();
    await page.waitForURL(/\/extras\/git-repositories\/[0-9a-f-]{36}\/$/);
    const url = page.url();
    await page.click('button.git-sync');
    // The sync's job result, whose log follows the run.
    await page.waitForURL(/\/extras\/job-results\/[0-9a-f-]{36}\/$/);
    await page
      .getByText(/Checked out/)
      .first()
      .waitFor({ timeout: 30000 });
    await shot('git-sync-job-result');
    const id = url.split('/').at(-2)!;
    for (let i = 0; i < 400; i++) {
      if ((await t.api.get(`/api/extras/git-repositories/${id}/`)).body.current_head === head) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await page.goto(url);
    const body = await page.locator('body').innerText();
    expect(body).toContain(head);
    expect(body).toContain('extras.exporttemplate');
    await shot('git-repository-synced');

    await page.goto(`${t.baseUrl}/extras/export-templates/`);
    expect(await page.locator('table').first().innerText()).toContain('ui.txt');
    await shot('git-export-templates');
    expect(errors).toEqual([]);
  });
});
