import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { QueueService } from '@plinth/core';
import {
  createTestApp,
  onDatabase,
  testDatabaseKind,
  until,
  type ApiResponse,
  type TestApp,
} from '@plinth/testing';
import { TestRepository } from './git-fixtures';
import { launchChromium, loggedInPage } from './ui-helpers';

const ROOT = path.resolve(__dirname, '../..');
const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'ui', testDatabaseKind());
const REPOS = '/api/extras/git-repositories/';
const JOBS = '/api/extras/jobs/';
const RESULTS = '/api/extras/job-results/';
const LOGS = '/api/extras/job-logs/';
const TENANTS = '/api/tenancy/tenants/';
// With PLINTH_TEST_REDIS_URL the queue is Bull on Redis (this process is the worker).
const REDIS = process.env.PLINTH_TEST_REDIS_URL;

/** A CommonJS module: a job with variables writing through ctx.objects, and jobs that overstep. */
const INVENTORY_JS = `
const fs = require('node:fs');
module.exports = {
  createTenants: {
    name: 'create_tenants',
    label: 'Create tenants',
    description: 'Create numbered tenants.',
    dryrun: true,
    task_queues: ['default', 'sandbox'],
    variables: {
      prefix: { type: 'string', regex: '[a-z][a-z0-9-]*', min_length: 2 },
      count: { type: 'integer', min_value: 1, max_value: 5, default: 1 },
    },
    async run(ctx, data) {
      const created = [];
      for (let i = 1; i <= data.count; i++) {
        const [t] = await ctx.objects.create('tenancy.tenant', [{ name: data.prefix + '-' + i }]);
        ctx.log_success('Created ' + t.name + '.', { object: { id: t.id, object_type: 'tenancy.tenant', display: t.name } });
        created.push(t.name);
      }
      console.log('stdout line from the job');
      const visible = await ctx.objects.count('tenancy.tenant', { name__isw: data.prefix + '-' });
      return { created, visible, user: ctx.user && ctx.user.username, dryrun: ctx.dryrun };
    },
  },
  readOutside: {
    name: 'read_outside',
    async run() {
      return fs.readFileSync('/etc/passwd', 'utf8').length;
    },
  },
  spawnProcess: {
    name: 'spawn_process',
    async run() {
      require('node:child_process').execFileSync('/bin/true');
      return 'spawned';
    },
  },
  rawSql: {
    name: 'raw_sql',
    async run(ctx) {
      return ctx.db.query('SELECT 1');
    },
  },
  countLines: {
    name: 'count_lines',
    variables: { names: { type: 'file', max_size: 1000 } },
    async run(ctx, data) {
      let models;
      try {
        models = ctx.models;
      } catch (e) {
        models = e.message;
      }
      return { name: data.names.name, size: data.names.size, lines: data.names.text().trim().split('\\n').length, models };
    },
  },
  environment: {
    name: 'environment',
    async run() {
      return Object.keys(process.env);
    },
  },
};
`;

/** An ES module: a job that never yields (time limit) and one that waits for its cancel. */
const CONTROL_MJS = `
export const spin = { name: 'spin', time_limit: 1, async run() { for (;;) {} } };
export const waitForCancel = {
  name: 'wait_for_cancel',
  async run(ctx) {
    ctx.log('waiting');
    await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve));
    ctx.log_warning('stopping: ' + ctx.signal.reason.message);
    return 'stopped';
  },
};
`;

const BROKEN_JS = `module.exports = { name: 'broken', run() { return ( };\n`;

/** A job or job result as the REST API returns it. */
type JobRecord = ApiResponse['body'];

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe(onDatabase(`jobs from Git repositories (${REDIS ? 'Bull/Redis' : 'in-process'} queue)`), () => {
  let t: TestApp;
  let root: string;
  let repo: TestRepository;
  let repoId: string;

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'plinth-gitjobs-')));
    repo = new TestRepository(root, 'automation');
    repo.commit({
      'jobs/inventory.js': INVENTORY_JS,
      'jobs/control.mjs': CONTROL_MJS,
      'jobs/broken.js': BROKEN_JS,
      'jobs/README.md': 'not a module',
    });
    t = await createTestApp({
      env: {
        PLINTH_GIT_ROOT: path.join(root, 'checkouts'),
        PLINTH_GIT_FILE_ROOTS: path.join(root, 'mirrors'),
        PLINTH_GIT_JOBS: 'true',
        ...(REDIS ? { REDIS_URL: REDIS } : {}),
      },
    });
    await t.app.get(QueueService).startWorker();
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  async function finished(id: string): Promise<JobRecord> {
    return until(`job result ${id}`, async () => {
      const b = (await t.api.get(`${RESULTS}${id}/`)).body;
      return ['SUCCESS', 'FAILURE', 'REVOKED'].includes(b.status?.value) ? b : null;
    });
  }

  async function logsOf(id: string): Promise<{ level: string; message: string }[]> {
    const body = (await t.api.get(`${LOGS}?job_result=${id}&limit=1000`)).body;
    return body.results.map((l: { log_level: { value: string } | string; message: string }) => ({
      level: typeof l.log_level === 'string' ? l.log_level : l.log_level?.value,
      message: l.message,
    }));
  }

  async function sync(): Promise<JobRecord> {
    const res = await t.api.post(`${REPOS}${repoId}/sync/`, {});
    expect(res.status).toBe(200);
    return finished(res.body.job_result as string);
  }

  async function job(name: string): Promise<JobRecord> {
    const res = await t.api.get(`${JOBS}?job_class_name=automation.jobs.${name}`);
    expect(res.body.count).toBe(1);
    return res.body.results[0];
  }

  async function run(name: string, body: Record<string, unknown> = {}, api = t.api): Promise<ApiResponse> {
    const j = await job(name);
    if (!j.enabled) expect((await t.api.patch(`${JOBS}${j.id}/`, { enabled: true })).status).toBe(200);
    return api.post(`${JOBS}${j.id}/run/`, { data: {}, ...body });
  }

  async function runToEnd(name: string, body: Record<string, unknown> = {}): Promise<JobRecord> {
    const res = await run(name, body);
    expect(res.status).toBe(201);
    return finished(res.body.job_result.id as string);
  }

  it('loads the jobs of a synced repository, disabled, and reports the module that failed to load', async () => {
    const created = await t.api.post(REPOS, {
      name: 'Automation',
      slug: 'automation',
      remote_url: `file://${repo.bare}`,
      provided_contents: ['extras.job'],
    });
    expect(created.status).toBe(201);
    repoId = created.body.id;
    const result = await sync();
    // Nautobot's way: the other modules are loaded, the sync ends as a failure naming the file.
    expect(result.status.value).toBe('FAILURE');
    const log = await logsOf(result.id);
    const failure = log.find((l) => l.message.startsWith('jobs/broken.js was not loaded:'));
    expect(failure?.level).toBe('failure');
    expect(failure?.message).toMatch(/SyntaxError|Unexpected token/);
    expect(log.map((l) => l.message)).toContain(
      'Job automation.jobs.inventory.create_tenants loaded from jobs/inventory.js.',
    );
    const head = (await t.api.get(`${REPOS}${repoId}/`)).body.current_head;
    expect(head).toMatch(/^[0-9a-f]{40}$/);

    const jobs = (await t.api.get(`${JOBS}?module_name__isw=automation.&limit=100`)).body
      .results as JobRecord[];
    expect(jobs.map((j) => j.job_class_name).sort()).toEqual([
      'automation.jobs.control.spin',
      'automation.jobs.control.wait_for_cancel',
      'automation.jobs.inventory.count_lines',
      'automation.jobs.inventory.create_tenants',
      'automation.jobs.inventory.environment',
      'automation.jobs.inventory.raw_sql',
      'automation.jobs.inventory.read_outside',
      'automation.jobs.inventory.spawn_process',
    ]);
    const create = jobs.find((j) => j.job_class_name === 'automation.jobs.inventory.create_tenants')!;
    expect(create).toMatchObject({
      name: 'Create tenants',
      grouping: 'Automation',
      module_name: 'automation.jobs.inventory',
      description: 'Create numbered tenants.',
      installed: true,
      enabled: false,
      supports_dryrun: true,
      task_queues: ['default', 'sandbox'],
    });
    expect(create).not.toHaveProperty('git_job');
    expect(jobs.find((j) => j.job_class_name.endsWith('.spin'))!.time_limit).toBe(1);
    // Described like a plugin job's variables; not runnable until enabled.
    const vars = (await t.api.get(`${JOBS}${create.id}/variables/`)).body;
    expect(vars.map((v: { name: string }) => v.name)).toEqual(['prefix', 'count']);
    expect((await t.api.post(`${JOBS}${create.id}/run/`, { data: { prefix: 'ab' } })).status).toBe(400);
  });

  it('runs a job in the sandbox: variables validated, writes change-logged under the result, console kept', async () => {
    const bad = await run('inventory.create_tenants', { data: { prefix: 'X' } });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body)).toEqual(['data.prefix']);

    const r = await runToEnd('inventory.create_tenants', { data: { prefix: 'git', count: 2 } });
    expect(r.status.value).toBe('SUCCESS');
    expect(r.result).toEqual({ created: ['git-1', 'git-2'], visible: 2, user: 'admin', dryrun: false });
    const log = await logsOf(r.id);
    const head = (await t.api.get(`${REPOS}${repoId}/`)).body.current_head as string;
    expect(log.map((l) => l.message)).toEqual(
      expect.arrayContaining([
        `Running jobs/inventory.js of repository Automation at commit ${head}.`,
        'Created git-1.',
        'Created git-2.',
        'console: stdout line from the job',
      ]),
    );
    expect(log.find((l) => l.message === 'Created git-1.')?.level).toBe('success');
    const changes = (await t.api.get(`/api/extras/object-changes/?request_id=${r.id}`)).body;
    expect(changes.count).toBe(2);
    expect((await t.api.get(`${TENANTS}?name__isw=git-`)).body.count).toBe(2);
  });

  it('hands file variables to the sandboxed job', async () => {
    const j = await job('inventory.count_lines');
    await t.api.patch(`${JOBS}${j.id}/`, { enabled: true });
    const res = await t
      .http()
      .post(`${JOBS}${j.id}/run/`)
      .set('Authorization', `Token ${t.api.token!}`)
      .field('data', '{}')
      .attach('names', Buffer.from('alpha\nbeta\ngamma\n'), 'names.txt');
    expect(res.status).toBe(201);
    const r = await finished(res.body.job_result.id as string);
    expect(r.status.value).toBe('SUCCESS');
    expect(r.result).toEqual({
      name: 'names.txt',
      size: 17,
      lines: 3,
      models: expect.stringContaining('ctx.models is not available to jobs from Git repositories'),
    });
  });

  it('rolls a dry run back, reading its own writes inside the transaction', async () => {
    const r = await runToEnd('inventory.create_tenants', { data: { prefix: 'dry', count: 3 }, dryrun: true });
    expect(r.status.value).toBe('SUCCESS');
    expect(r.result).toMatchObject({ created: ['dry-1', 'dry-2', 'dry-3'], visible: 3, dryrun: true });
    expect((await t.api.get(`${TENANTS}?name__isw=dry-`)).body.count).toBe(0);
  });

  it("checks the user's permissions on the job's writes", async () => {
    const user = await t.createUser('git-job-runner', [
      { actions: ['view', 'run'], object_types: ['extras.job'] },
      { actions: ['view'], object_types: ['extras.jobresult', 'extras.joblogentry', 'tenancy.tenant'] },
    ]);
    const res = await run('inventory.create_tenants', { data: { prefix: 'nope' } }, user.api);
    expect(res.status).toBe(201);
    const r = await finished(res.body.job_result.id);
    expect(r.status.value).toBe('FAILURE');
    expect(r.traceback).toContain('You do not have permission to add tenants.');
    expect((await t.api.get(`${TENANTS}?name__isw=nope-`)).body.count).toBe(0);
  });

  it('refuses reading outside the checkout, spawning processes and ctx.db; the environment is empty', async () => {
    const read = await runToEnd('inventory.read_outside');
    expect(read.status.value).toBe('FAILURE');
    expect(read.traceback).toContain('Access to this API has been restricted');
    const spawned = await runToEnd('inventory.spawn_process');
    expect(spawned.status.value).toBe('FAILURE');
    expect(spawned.traceback).toContain('Access to this API has been restricted');
    const raw = await runToEnd('inventory.raw_sql');
    expect(raw.status.value).toBe('FAILURE');
    expect(raw.traceback).toContain('ctx.db is not available to jobs from Git repositories');
    const env = await runToEnd('inventory.environment');
    expect(env.status.value).toBe('SUCCESS');
    expect(env.result).toEqual([]);
  });

  it('fails an endless job at its time limit and kills its process', async () => {
    const r = await runToEnd('control.spin');
    expect(r.status.value).toBe('FAILURE');
    expect(r.traceback).toContain('The job exceeded its time limit of 1 s.');
    const started = (await logsOf(r.id)).find((l) => /^Sandboxed process \d+ started\.$/.test(l.message));
    const pid = Number(started!.message.split(' ')[2]);
    await until('the sandboxed process to be killed', async () => !alive(pid), 10000);
  });

  it('cancels a running job: the sandbox is told through ctx.signal and stops', async () => {
    const res = await run('control.wait_for_cancel');
    const id = res.body.job_result.id as string;
    await until('the job to wait', async () => (await logsOf(id)).some((l) => l.message === 'waiting'));
    expect((await t.api.post(`${RESULTS}${id}/cancel/`, {})).status).toBe(200);
    const r = await finished(id);
    expect(r.status.value).toBe('REVOKED');
    await until('the job to stop', async () =>
      (await logsOf(id)).some((l) => l.message === 'stopping: cancelled'),
    );
  });

  it('says so when the checkout is missing, and runs again once synced', async () => {
    fs.rmSync(path.join(root, 'checkouts', repoId), { recursive: true, force: true });
    const r = await runToEnd('inventory.create_tenants', { data: { prefix: 'gone' } });
    expect(r.status.value).toBe('FAILURE');
    expect(r.traceback).toContain('The checkout of repository Automation is missing');
    await sync();
    const again = await runToEnd('inventory.create_tenants', { data: { prefix: 'back' } });
    expect(again.status.value).toBe('SUCCESS');
  });

  it('says so when the checkout is at another commit than the one its jobs were loaded from', async () => {
    const checkout = path.join(root, 'checkouts', repoId);
    execFileSync(
      'git',
      [
        '-c',
        'user.name=T',
        '-c',
        'user.email=t@plinth.invalid',
        'commit',
        '--quiet',
        '--allow-empty',
        '-m',
        'x',
      ],
      { cwd: checkout, env: { PATH: process.env.PATH, HOME: checkout, GIT_CONFIG_NOSYSTEM: '1' } },
    );
    const r = await runToEnd('inventory.create_tenants', { data: { prefix: 'moved' } });
    expect(r.status.value).toBe('FAILURE');
    expect(r.traceback).toMatch(
      /The checkout of repository Automation \(.*\) is at commit [0-9a-f]{40}, but this job was loaded from commit [0-9a-f]{40}: sync the repository again\./,
    );
    await sync();
  });

  it('runs from its generated form in a browser, the log filling in', async () => {
    const create = await job('inventory.create_tenants');
    const errors: string[] = [];
    const browser = await launchChromium();
    try {
      const page = await loggedInPage(browser, t.baseUrl, errors);
      const shot = (name: string) =>
        page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
      await page.goto(`${t.baseUrl}/extras/jobs/?grouping=Automation`);
      await expect(page.locator('.job-group .card-header').allInnerTexts()).resolves.toEqual(['Automation']);
      await shot('git-jobs-list');
      await page.goto(`${t.baseUrl}/extras/jobs/${create.id}/`);
      await page.fill('#var_prefix', 'browser');
      await page.fill('#var_count', '2');
      await shot('git-job-form');
      await page.click('button.job-run');
      await page.waitForURL(/\/extras\/job-results\/[0-9a-f-]{36}\/$/);
      await page.locator('.job-log[data-status="SUCCESS"]').waitFor({ timeout: 20000 });
      await page.locator('.job-log-entry', { hasText: 'Created browser-2.' }).waitFor();
      await expect(
        page
          .locator('.job-log-entry', { hasText: 'Running jobs/inventory.js of repository Automation' })
          .count(),
      ).resolves.toBe(1);
      await shot('git-job-result');
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  // A worker process of its own opens the database too: PostgreSQL only (PGlite is one process).
  if (REDIS && testDatabaseKind() === 'postgresql') {
    it('runs a Git job on a `plinth worker` process', async () => {
      const worker: ChildProcess = spawn(
        process.execPath,
        [path.join(ROOT, 'apps/cli/dist/main.js'), 'worker', '--queues', 'sandbox'],
        {
          env: {
            PATH: process.env.PATH ?? '',
            DATABASE_URL: t.ctx.config.databaseUrl!,
            REDIS_URL: REDIS,
            PLINTH_QUEUE_PREFIX: t.ctx.config.queuePrefix,
            PLINTH_GIT_ROOT: path.join(root, 'checkouts'),
            PLINTH_GIT_JOBS: 'true',
            PLINTH_LOG_LEVEL: 'warn',
          },
          cwd: ROOT,
          stdio: 'ignore',
        },
      );
      try {
        await until('a worker on the sandbox queue', async () => {
          const workers = (await t.api.get('/api/status/')).body.workers as { queues: string[] }[];
          return workers.some((w) => w.queues.includes('sandbox'));
        });
        const res = await run('inventory.create_tenants', {
          data: { prefix: 'worker' },
          task_queue: 'sandbox',
        });
        expect(res.status).toBe(201);
        const r = await finished(res.body.job_result.id);
        expect(r.status.value).toBe('SUCCESS');
        expect(r.worker).toContain(`:${worker.pid}`);
      } finally {
        const exited = new Promise((resolve) => worker.on('exit', resolve));
        worker.kill('SIGTERM');
        await exited;
      }
    });
  }

  it('marks jobs gone from the repository not installed at the next sync', async () => {
    repo.commit({ 'jobs/control.mjs': null, 'jobs/broken.js': null });
    const result = await sync();
    expect(result.status.value).toBe('SUCCESS');
    expect((await job('control.spin')).installed).toBe(false);
    expect((await job('inventory.create_tenants')).installed).toBe(true);
    expect((await logsOf(result.id)).map((l) => l.message)).toContain(
      'Job automation.jobs.control.spin is no longer in the repository: marked not installed.',
    );
    const r = await run('control.spin');
    expect(r.status).toBe(404);
  });

  it('marks every job of a deleted repository not installed, keeping their results', async () => {
    const before = (await t.api.get(`${RESULTS}?limit=1`)).body.count as number;
    expect((await t.api.delete(`${REPOS}${repoId}/`)).status).toBe(204);
    const jobs = (await t.api.get(`${JOBS}?module_name__isw=automation.&limit=100`)).body.results as {
      installed: boolean;
    }[];
    expect(jobs.length).toBe(8);
    expect(jobs.every((j) => !j.installed)).toBe(true);
    expect((await t.api.get(`${RESULTS}?limit=1`)).body.count).toBe(before);
    expect(fs.existsSync(path.join(root, 'checkouts', repoId))).toBe(false);
  });
});

describe(onDatabase('jobs from Git repositories, turned off (PLINTH_GIT_JOBS unset)'), () => {
  let t: TestApp;
  let root: string;

  beforeAll(async () => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'plinth-gitjobs-off-')));
    t = await createTestApp({
      env: {
        PLINTH_GIT_ROOT: path.join(root, 'checkouts'),
        PLINTH_GIT_FILE_ROOTS: path.join(root, 'mirrors'),
        ...(REDIS ? { REDIS_URL: REDIS } : {}),
      },
    });
    await t.app.get(QueueService).startWorker();
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('refuses a repository providing jobs with a 400 naming provided_contents', async () => {
    const res = await t.api.post(REPOS, {
      name: 'Automation',
      slug: 'automation',
      remote_url: `file://${root}/mirrors/automation.git`,
      provided_contents: ['extras.job'],
    });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body)).toEqual(['provided_contents']);
    expect(String(res.body.provided_contents)).toContain('PLINTH_GIT_JOBS');
    const other = await t.api.post(REPOS, {
      name: 'Templates',
      slug: 'templates',
      remote_url: `file://${root}/mirrors/templates.git`,
      provided_contents: ['extras.exporttemplate'],
    });
    expect(other.status).toBe(201);
  });

  it('loads no jobs when a repository provided them before the operator turned jobs off', async () => {
    const repo = new TestRepository(root, 'legacy');
    repo.commit({ 'jobs/inventory.js': INVENTORY_JS });
    const created = await t.api.post(REPOS, {
      name: 'Legacy',
      slug: 'legacy',
      remote_url: `file://${repo.bare}`,
      provided_contents: [],
    });
    expect(created.status).toBe(201);
    // As a repository saved while PLINTH_GIT_JOBS was on is stored.
    await t.sql(`UPDATE extras_gitrepository SET provided_contents = '{extras.job}' WHERE id = $1`, [
      created.body.id,
    ]);
    const sync = await t.api.post(`${REPOS}${created.body.id}/sync/`, {});
    const result = await until('the sync', async () => {
      const b = (await t.api.get(`${RESULTS}${sync.body.job_result}/`)).body;
      return ['SUCCESS', 'FAILURE'].includes(b.status?.value) ? b : null;
    });
    expect(result.status.value).toBe('FAILURE');
    const log = (await t.api.get(`${LOGS}?job_result=${result.id}`)).body.results as { message: string }[];
    expect(log.map((l) => l.message)).toContain(
      'Jobs were not loaded: jobs from Git repositories are turned off (PLINTH_GIT_JOBS).',
    );
    expect((await t.api.get(`${JOBS}?module_name__isw=legacy.`)).body.count).toBe(0);
  });
});
