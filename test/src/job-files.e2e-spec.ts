import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { QueueService } from '@plinth/core';
import { createTestApp, onDatabase, testDatabaseKind, type TestApp, until } from '@plinth/testing';
import { launchChromium, loggedInPage, pickSearchable } from './ui-helpers';

const ARTIFACTS = path.resolve(__dirname, '..', '..', 'test-artifacts', 'ui', testDatabaseKind());
const JOBS = '/api/extras/jobs/';
const RESULTS = '/api/extras/job-results/';

type Result = { id: string; status: { value: string }; result: { created?: string[] }; task_kwargs: unknown };

/** File variables (Nautobot's FileVar): multipart uploads through REST and the UI form. */
describe(onDatabase('job file variables'), () => {
  let t: TestApp;
  let jobId: string;
  let statusId: string;
  let browser: Browser | undefined;

  const upload = (
    fields: Record<string, string>,
    file?: { name: string; content: string; field?: string },
  ) => {
    let req = t.http().post(`${JOBS}${jobId}/run/`).set('Authorization', `Token ${t.api.token!}`);
    for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
    if (file) req = req.attach(file.field ?? 'names', Buffer.from(file.content), file.name);
    return req;
  };
  const finished = (id: string) =>
    until(`job result ${id}`, async () => {
      const r = (await t.api.get(`${RESULTS}${id}/`)).body as Result;
      return ['SUCCESS', 'FAILURE', 'REVOKED'].includes(r.status.value) ? r : null;
    });
  const proxies = async () => Number((await t.api.get('/api/extras/file-proxies/?limit=1')).body.count);

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    t = await createTestApp({
      plugins: ['@plinth/plugin-example'],
      pluginsConfig: { example: { instance_name: 'lab' } },
    });
    await t.app.get(QueueService).startWorker();
    jobId = (await t.api.get(`${JOBS}?job_class_name=example.import_widgets`)).body.results[0].id;
    await t.api.patch(`${JOBS}${jobId}/`, { enabled: true });
    statusId = (await t.api.get('/api/extras/statuses/?name=Active')).body.results[0].id;
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('describes the file variable', async () => {
    const vars = (await t.api.get(`${JOBS}${jobId}/variables/`)).body as { name: string; type: string }[];
    expect(vars.find((v) => v.name === 'names')).toMatchObject({ type: 'file', max_size: 65536 });
  });

  it('runs with a multipart upload; the job reads the file; the upload goes when the run ends', async () => {
    const res = await upload(
      { data: JSON.stringify({ status: statusId }) },
      { name: 'names.txt', content: 'w-alpha\nw-beta\n\nw-gamma\n' },
    );
    expect(res.status).toBe(201);
    const r = await finished(res.body.job_result.id);
    expect(r.status.value).toBe('SUCCESS');
    expect(r.result.created).toEqual(['w-alpha', 'w-beta', 'w-gamma']);
    // The stored data names the file, never its bytes; the upload is deleted with the run's end.
    expect(r.task_kwargs).toMatchObject({ names: { name: 'names.txt', size: 24 } });
    expect(JSON.stringify(r.task_kwargs)).not.toContain('w-alpha');
    expect(await proxies()).toBe(0);
    const logs = (await t.api.get(`/api/extras/job-logs/?job_result=${r.id}`)).body.results as {
      message: string;
    }[];
    expect(logs.map((l) => l.message)).toContain('names.txt: 24 bytes, 3 names.');
  });

  it('refuses a missing, oversized, misplaced or JSON-sent file naming the variable, keeping nothing', async () => {
    const before = Number((await t.api.get(`${RESULTS}?limit=1`)).body.count);
    const missing = await upload({ data: JSON.stringify({ status: statusId }) });
    expect([missing.status, missing.body['data.names']]).toEqual([400, ['This field is required.']]);
    const big = await upload(
      { data: JSON.stringify({ status: statusId }) },
      { name: 'big.txt', content: 'x'.repeat(70 * 1024) },
    );
    expect([big.status, big.body['data.names'][0]]).toEqual([
      400,
      'The file is too large: at most 65536 bytes.',
    ]);
    const stray = await upload(
      { data: JSON.stringify({ status: statusId }) },
      { name: 'a.txt', content: 'a', field: 'other' },
    );
    expect([stray.status, Object.keys(stray.body)]).toEqual([400, ['data.other']]);
    const json = await t.api.post(`${JOBS}${jobId}/run/`, { data: { names: 'w-1', status: statusId } });
    expect(json.status).toBe(400);
    expect(json.body['data.names'][0]).toContain('multipart/form-data');
    const badData = await upload({ data: '{not json' }, { name: 'n.txt', content: 'x' });
    expect([badData.status, Object.keys(badData.body)]).toEqual([400, ['data']]);
    const scheduled = await upload(
      {
        data: JSON.stringify({ status: statusId }),
        schedule: JSON.stringify({ name: 'later', interval: 'future', start_time: '2099-01-01T00:00:00Z' }),
      },
      { name: 'n.txt', content: 'w-later' },
    );
    expect([scheduled.status, scheduled.body['data.names'][0]]).toEqual([
      400,
      'A job with uploaded files cannot be scheduled or wait for approval: run it now.',
    ]);
    expect(Number((await t.api.get(`${RESULTS}?limit=1`)).body.count)).toBe(before);
    expect(await proxies()).toBe(0);
  });

  it('uploads from the run form in a browser', async () => {
    const errors: string[] = [];
    browser = await launchChromium();
    const page: Page = await loggedInPage(browser, t.baseUrl, errors);
    await page.goto(`${t.baseUrl}/extras/jobs/${jobId}/`);
    await expect(page.locator('form.job-run-form').getAttribute('enctype')).resolves.toBe(
      'multipart/form-data',
    );
    await page.setInputFiles('#var_names', {
      name: 'ui-names.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('ui-one\nui-two\n'),
    });
    await pickSearchable(page, 'status', 'Active', 'Active', '.job-variable:has(#var_status)');
    await expect(page.inputValue('#var_status')).resolves.toBe(statusId);
    await page.screenshot({ path: path.join(ARTIFACTS, 'job-file-form.png'), fullPage: true });
    await page.click('button.job-run');
    await page.waitForURL(/\/extras\/job-results\/[0-9a-f-]{36}\/$/);
    await page.locator('.job-log[data-status="SUCCESS"]').waitFor({ timeout: 20000 });
    await expect(page.locator('.job-log').innerText()).resolves.toContain('ui-names.txt: 14 bytes, 2 names.');
    await page.screenshot({ path: path.join(ARTIFACTS, 'job-file-result.png'), fullPage: true });
    expect((await t.api.get('/api/plugins/example/widgets/?name=ui-two')).body.count).toBe(1);
    expect(errors).toEqual([]);
  });
});
