import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { QueueService } from '@plinth/core';
import { createTestApp, onDatabase, testDatabaseKind, type TestApp, until } from '@plinth/testing';
import { launchChromium } from './ui-helpers';

const ARTIFACTS = path.resolve(__dirname, '..', '..', 'test-artifacts', 'ui', testDatabaseKind());

/** A job run from its page: the generated form (a field error first), then the live log. */
describe(onDatabase('jobs in a browser'), () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  const shot = (name: string) =>
    page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    t = await createTestApp({
      plugins: ['@plinth/plugin-example'],
      pluginsConfig: { example: { instance_name: 'lab' } },
    });
    await t.app.get(QueueService).startWorker();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', (e) => errors.push(e.message));
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('runs a job from its form and watches its log grow', async () => {
    const job = (await t.api.get('/api/extras/jobs/?job_class_name=example.create_widgets')).body.results[0];
    await t.api.patch(`/api/extras/jobs/${job.id}/`, { enabled: true });
    await page.goto(`${t.baseUrl}/login/?next=/extras/jobs/`);
    await page.fill('#id_username', 'admin');
    await page.fill('#id_password', 'admin-password-1');
    await page.click('button[type=submit]');
    await page.waitForURL(`${t.baseUrl}/extras/jobs/`);
    await expect(page.locator('.job-group .card-header').allInnerTexts()).resolves.toEqual([
      'Example',
      'System',
    ]);
    await shot('jobs-list');
    // The filter form narrows the grouped list.
    await page.goto(`${t.baseUrl}/extras/jobs/?grouping=System`);
    await expect(page.locator('.job-group .card-header').allInnerTexts()).resolves.toEqual(['System']);
    await page.goto(`${t.baseUrl}/extras/jobs/`);
    await page.click(`a[href="/extras/jobs/${job.id}/"]`);
    await page.waitForURL(`${t.baseUrl}/extras/jobs/${job.id}/`);

    // A value the variable's regex refuses comes back on its field, the other values kept.
    await page.fill('#var_prefix', 'Bad Prefix');
    await page.fill('#var_count', '3');
    await page.fill('#var_pause_ms', '700');
    await page.click('.job-variable:has(#var_status) .ts-control');
    await page.keyboard.type('Active');
    await page
      .locator('.job-variable:has(#var_status) .ts-dropdown .option', { hasText: 'Active' })
      .first()
      .click();
    await page.keyboard.press('Escape');
    await page.click('button.job-run');
    await page.waitForURL(/run_errors=/);
    await expect(
      page.locator('.job-variable:has(#var_prefix) .invalid-feedback').innerText(),
    ).resolves.toContain('Enter a value matching');
    await expect(page.inputValue('#var_count')).resolves.toBe('3');
    await shot('job-form-error');

    await page.fill('#var_prefix', 'ui');
    // The job may run on two task queues: the form offers them (the embedded runner serves both).
    await expect(page.locator('#task_queue option').allInnerTexts()).resolves.toEqual(['default', 'bulk']);
    await page.selectOption('#task_queue', 'bulk');
    await page.click('button.job-run');
    await page.waitForURL(/\/extras\/job-results\/[0-9a-f-]{36}\/$/);
    const resultUrl = page.url();
    const resultId = /job-results\/([0-9a-f-]{36})\//.exec(resultUrl)![1];
    expect((await t.api.get(`/api/extras/job-results/${resultId}/`)).body.task_queue).toBe('bulk');
    // The page was rendered before the run finished; the log fills in without a reload.
    await expect(page.locator('.job-log').getAttribute('data-status')).resolves.not.toBe('SUCCESS');
    await page.locator('.job-log-entry', { hasText: 'Created ui-1.' }).waitFor({ timeout: 20000 });
    await shot('job-result-running');
    await page.locator('.job-log[data-status="SUCCESS"]').waitFor({ timeout: 20000 });
    expect(page.url()).toBe(resultUrl);
    await expect(page.locator('.job-log-entry').count()).resolves.toBe(4);
    await expect(page.locator('.job-log-entry a', { hasText: 'ui-3' }).getAttribute('href')).resolves.toMatch(
      /^\/plugins\/example\/widgets\/[0-9a-f-]{36}\/$/,
    );
    await shot('job-result-done');
    expect(errors).toEqual([]);
  });

  it('runs a job for one object from its job button, the object pre-filled', async () => {
    const bump = (await t.api.get('/api/extras/jobs/?job_class_name=example.bump_widget')).body.results[0];
    await t.api.patch(`/api/extras/jobs/${bump.id}/`, { enabled: true });
    const button = await t.api.post('/api/extras/job-buttons/', {
      name: 'Bump',
      content_types: ['example.widget'],
      job: bump.id,
      text: 'Bump quantity',
      button_class: 'warning',
    });
    expect(button.status).toBe(201);
    const status = (await t.api.get('/api/extras/statuses/?name=Active')).body.results[0].id;
    const widget = (await t.api.post('/api/plugins/example/widgets/', { name: 'buttoned', status })).body;
    await page.goto(`${t.baseUrl}/plugins/example/widgets/${widget.id}/`);
    await page.locator('a', { hasText: 'Bump quantity' }).click();
    await page.waitForURL(new RegExp(`/extras/jobs/${bump.id}/`));
    await expect(page.locator('#var_widget option[selected]').innerText()).resolves.toBe('buttoned');
    await shot('job-button-form');
    await page.click('button.job-run');
    await page.waitForURL(/\/extras\/job-results\/[0-9a-f-]{36}\/$/);
    await page.locator('.job-log[data-status="SUCCESS"]').waitFor({ timeout: 20000 });
    await expect(page.locator('.job-log-message').first().innerText()).resolves.toBe(
      'buttoned: quantity 1 → 2.',
    );
    await shot('job-button-result');
    expect(errors).toEqual([]);
  });

  it('approves a run waiting for approval from the scheduled job page', async () => {
    const create = (await t.api.get('/api/extras/jobs/?job_class_name=example.create_widgets')).body
      .results[0];
    await t.api.patch(`/api/extras/jobs/${create.id}/`, {
      approval_required: true,
      approval_required_override: true,
    });
    const requester = await t.createUser('ui-requester', [
      { actions: ['view', 'run'], object_types: ['extras.job'] },
      { actions: ['view'], object_types: ['extras.status'] },
    ]);
    await t.createUser(
      'ui-approver',
      [
        { actions: ['view', 'approve'], object_types: ['extras.job'] },
        {
          actions: ['view'],
          object_types: ['extras.scheduledjob', 'extras.jobresult', 'extras.joblogentry'],
        },
      ],
      { password: 'approver-password-1' },
    );
    const status = (await t.api.get('/api/extras/statuses/?name=Active')).body.results[0].id;
    const req = await requester.api.post(`/api/extras/jobs/${create.id}/run/`, {
      data: { prefix: 'approved', count: 1, status },
    });
    const scheduled = req.body.scheduled_job.id as string;

    const approver = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    approver.on('pageerror', (e) => errors.push(e.message));
    await approver.goto(`${t.baseUrl}/login/?next=/extras/scheduled-jobs/${scheduled}/`);
    await approver.fill('#id_username', 'ui-approver');
    await approver.fill('#id_password', 'approver-password-1');
    await approver.click('button[type=submit]');
    await approver.waitForURL(`${t.baseUrl}/extras/scheduled-jobs/${scheduled}/`);
    await expect(approver.locator('.job-awaiting-approval').count()).resolves.toBe(1);
    await approver.screenshot({ path: path.join(ARTIFACTS, 'job-approval.png'), fullPage: true });
    await approver.click('button.job-approve');
    await approver.waitForURL(`${t.baseUrl}/extras/scheduled-jobs/${scheduled}/`);
    await expect(approver.locator('.job-approved').innerText()).resolves.toBe('Approved.');
    const results = await until('the approved run', async () => {
      const list = (await t.api.get(`/api/extras/job-results/?scheduled_job=${scheduled}`)).body.results;
      return list.length && list[0].status.value === 'SUCCESS' ? list : null;
    });
    expect(results[0].user.id).toBe(requester.user.id);
    await approver.close();
    expect(errors).toEqual([]);
  });
});
