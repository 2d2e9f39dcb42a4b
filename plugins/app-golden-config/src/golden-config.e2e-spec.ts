import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { SavedGraphQLQuery1796654355438 } from './migrations/1796654355438-SavedGraphQLQuery';
import { createTestApp, onDatabase, testDatabaseKind, until, type TestApp } from '@plinth/plugin-sdk/testing';

const API = '/api/plugins/golden-config/';
const ARTIFACTS = path.resolve(
  __dirname,
  '..',
  '..',
  '..',
  'test-artifacts',
  'golden-config',
  testDatabaseKind(),
);

/** A bare repository (what Plinth fetches over file://) and a working copy pushing to it. */
class Fixture {
  readonly bare: string;
  private readonly work: string;
  constructor(root: string) {
    this.bare = path.join(root, 'mirrors', 'configs.git');
    this.work = path.join(root, 'work');
    fs.mkdirSync(this.bare, { recursive: true });
    fs.mkdirSync(this.work, { recursive: true });
    this.git(this.bare, 'init', '--quiet', '--bare', '-b', 'main');
    this.git(this.work, 'init', '--quiet', '-b', 'main');
    this.git(this.work, 'remote', 'add', 'origin', this.bare);
  }
  private git(cwd: string, ...args: string[]): void {
    execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@plinth.invalid', ...args], {
      cwd,
      env: { PATH: process.env.PATH, HOME: cwd, GIT_CONFIG_NOSYSTEM: '1' },
    });
  }
  commit(files: Record<string, string>): void {
    for (const [file, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(this.work, file)), { recursive: true });
      fs.writeFileSync(path.join(this.work, file), content);
    }
    this.git(this.work, 'add', '--all');
    this.git(this.work, 'commit', '--quiet', '-m', 'change');
    this.git(this.work, 'push', '--quiet', 'origin', 'main');
  }
}

const TEMPLATE = `hostname {{ name }}
! site {{ location.name }}
{% for s in config_context.ntp_servers %}ntp server {{ s }}
{% endfor %}router bgp {{ config_context.asn }}
 neighbor 10.1.1.1 remote-as 65001
 neighbor 10.1.1.2 remote-as 65002
snmp-server community {{ obj.name }}-ro RO
`;

const BACKUP_R1 = `hostname r1
ntp server 10.0.0.2
ntp server 10.0.0.1
router bgp 65000
 neighbor 10.1.1.2 remote-as 65002
 neighbor 10.1.1.1 remote-as 65001
snmp-server community r1-ro RO
snmp-server community public RO
`;

// r2's backup: bgp lines in the intended order, ntp server 10.0.0.9 instead of 10.0.0.2.
const BACKUP_R2 = `hostname r2
ntp server 10.0.0.1
ntp server 10.0.0.9
router bgp 65000
 neighbor 10.1.1.1 remote-as 65001
 neighbor 10.1.1.2 remote-as 65002
snmp-server community r2-ro RO
`;

describe(onDatabase('golden config app'), () => {
  let t: TestApp;
  let root: string;
  let fixture: Fixture;
  const ids: Record<string, string> = {};

  async function post(url: string, body: unknown): Promise<Record<string, unknown>> {
    const res = await t.api.post(url, body);
    if (res.status !== 201) throw new Error(`${url}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Record<string, unknown>;
  }

  /** Wait for a job result to end; returns it with its log. */
  async function finished(jobResult: string) {
    const result = await until(`job result ${jobResult}`, async () => {
      const r = (await t.api.get(`/api/extras/job-results/${jobResult}/`)).body;
      return ['SUCCESS', 'FAILURE'].includes(String(r.status?.value)) ? r : null;
    });
    const log = (await t.api.get(`/api/extras/job-logs/?job_result=${jobResult}&limit=0`)).body.results as {
      message: string;
      log_level: { value: string } | string;
    }[];
    return { result, log: log.map((l) => l.message) };
  }

  async function runJob(name: string, data: Record<string, unknown> = {}) {
    const job = (await t.api.get(`/api/extras/jobs/?job_class_name=${name}`)).body.results[0];
    await t.api.patch(`/api/extras/jobs/${job.id}/`, { enabled: true });
    const res = await t.api.post(`/api/extras/jobs/${job.id}/run/`, { data });
    expect(res.status).toBe(201);
    return finished(res.body.job_result.id);
  }

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'plinth-golden-'));
    fixture = new Fixture(root);
    fixture.commit({
      'templates/cisco_ios.j2': TEMPLATE,
      'templates/README.md': 'not a template',
      'backups/r1.cfg': BACKUP_R1,
      'backups/r2.cfg': BACKUP_R2,
    });
    t = await createTestApp({
      plugins: ['@plinth/app-golden-config'],
      env: {
        // With PLINTH_TEST_REDIS_URL the queue is Bull on Redis (this process is the worker).
        ...(process.env.PLINTH_TEST_REDIS_URL ? { REDIS_URL: process.env.PLINTH_TEST_REDIS_URL } : {}),
        PLINTH_GIT_ROOT: path.join(root, 'checkouts'),
        PLINTH_GIT_FILE_ROOTS: path.join(root, 'mirrors'),
      },
    });
    await t.startWorker();
    const manufacturer = await post('/api/dcim/manufacturers/', { name: 'Cisco' });
    const deviceType = await post('/api/dcim/device-types/', {
      manufacturer: manufacturer.id,
      model: 'C8000',
    });
    const role = await post('/api/extras/roles/', { name: 'Router', content_types: ['dcim.device'] });
    const locationType = await post('/api/dcim/location-types/', {
      name: 'Site',
      content_types: ['dcim.device'],
    });
    const location = await post('/api/dcim/locations/', {
      name: 'Lab',
      location_type: locationType.id,
      status: 'Active',
    });
    const platform = await post('/api/dcim/platforms/', { name: 'IOS', network_driver: 'cisco_ios' });
    ids.platform = String(platform.id);
    for (const name of ['r1', 'r2', 'r3']) {
      const d = await post('/api/dcim/devices/', {
        name,
        device_type: deviceType.id,
        role: role.id,
        location: location.id,
        status: 'Active',
        platform: platform.id,
        local_config_context_data: { asn: 65000, ntp_servers: ['10.0.0.1', '10.0.0.2'] },
      });
      ids[name] = String(d.id);
    }
  });
  afterAll(async () => {
    await t?.close();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('serves its models under /api/plugins/golden-config/ and refuses bad input naming the field', async () => {
    const rootListing = (await t.api.get(API)).body;
    expect(Object.keys(rootListing).sort()).toEqual([
      'compliance-feature',
      'compliance-rule',
      'config-compliance',
      'config-templates',
      'golden-config',
      'golden-config-settings',
    ]);
    const ntp = await post(`${API}compliance-feature/`, { name: 'ntp', slug: 'ntp' });
    const bgp = await post(`${API}compliance-feature/`, { name: 'bgp', slug: 'bgp' });
    const snmp = await post(`${API}compliance-feature/`, { name: 'snmp', slug: 'snmp' });
    const bad = await t.api.post(`${API}compliance-rule/`, {
      feature: ntp.id,
      platform: ids.platform,
      match_config: '  \n',
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ match_config: ['This field may not be blank.'] });
    await post(`${API}compliance-rule/`, {
      feature: ntp.id,
      platform: ids.platform,
      match_config: 'ntp server',
    });
    await post(`${API}compliance-rule/`, {
      feature: bgp.id,
      platform: ids.platform,
      match_config: 'router bgp',
      config_ordered: true,
    });
    await post(`${API}compliance-rule/`, {
      feature: snmp.id,
      platform: ids.platform,
      match_config: 'snmp-server community',
    });
    const dup = await t.api.post(`${API}compliance-rule/`, {
      feature: ntp.id,
      platform: ids.platform,
      match_config: 'ntp',
    });
    expect(dup.status).toBe(400);

    const repo = await post('/api/extras/git-repositories/', {
      name: 'Configs',
      slug: 'configs',
      remote_url: `file://${fixture.bare}`,
      branch: 'main',
      provided_contents: ['golden_config.intended_templates', 'golden_config.backup_configs'],
    });
    ids.repo = String(repo.id);
    // The template data is a saved query (extras.graphqlquery), checked against the schema.
    const badQuery = await t.api.post('/api/extras/graphql-queries/', {
      name: 'Bad',
      query: 'query ($device_id: ID!) { device(id: $device_id) { hostname } }',
    });
    expect(badQuery.status).toBe(400);
    expect(Object.keys(badQuery.body)).toEqual(['query']);
    expect(badQuery.body.query[0]).toMatch(/^Not a valid GraphQL query: Cannot query field "hostname"/);
    const saved = await post('/api/extras/graphql-queries/', {
      name: 'Golden config device',
      query: 'query ($device_id: ID!) { device(id: $device_id) { name location { name } } }',
    });
    expect(saved.variables).toEqual({ device_id: null });
    ids.query = String(saved.id);
    const notAQuery = await t.api.post(`${API}golden-config-settings/`, {
      name: 'Bad',
      slug: 'bad',
      platform: ids.platform,
      sot_agg_query: ids.platform,
    });
    expect(notAQuery.status).toBe(400);
    expect(Object.keys(notAQuery.body)).toEqual(['sot_agg_query']);
    const setting = await post(`${API}golden-config-settings/`, {
      name: 'IOS',
      slug: 'ios',
      platform: ids.platform,
      jinja_repository: repo.id,
      jinja_path_template: 'templates/{{ obj.platform.network_driver }}.j2',
      backup_repository: repo.id,
      backup_path_template: 'backups/{{ obj.name }}.cfg',
      sot_agg_query: saved.id,
    });
    expect(setting).toMatchObject({ object_type: 'golden_config.goldenconfigsetting', display: 'IOS' });
    const changes = await t.api.get(`/api/extras/object-changes/?changed_object_id=${String(setting.id)}`);
    expect(changes.body.count).toBe(1);
    // A saved query a setting uses cannot be deleted (PROTECT, as Nautobot's sot_agg_query).
    const del = await t.api.delete(`/api/extras/graphql-queries/${ids.query}/`);
    expect(del.status).toBe(409);
  });

  it('syncs templates and backups from the Git repository', async () => {
    const sync = await t.api.post(`/api/extras/git-repositories/${ids.repo}/sync/`, {});
    expect(sync.status).toBe(200);
    const { result, log } = await finished(sync.body.job_result);
    expect(result.status.value).toBe('SUCCESS');
    expect(log).toContain('Golden config templates: 1 created, 0 updated, 0 deleted.');
    expect(log).toContain('Golden config backups: 2 loaded, 1 devices without a backup file.');
    const templates = (await t.api.get(`${API}config-templates/`)).body;
    expect(templates.results.map((r: { path: string }) => r.path)).toEqual(['templates/cisco_ios.j2']);
    const r1 = (await t.api.get(`${API}golden-config/?device=${ids.r1}`)).body.results[0];
    // Text fields are stored without trailing whitespace.
    expect(r1.backup_config).toBe(BACKUP_R1.trimEnd());
    expect(r1.backup_last_success_date).toBeTruthy();
  });

  it('generates intended configurations from the template, the saved query and the config context', async () => {
    const { result, log } = await runJob('golden_config.generate_intended', { platform: ids.platform });
    expect(log).toEqual(
      expect.arrayContaining([
        'r1: rendered templates/cisco_ios.j2.',
        'r2: rendered templates/cisco_ios.j2.',
        'r3: rendered templates/cisco_ios.j2.',
      ]),
    );
    expect(result.status.value).toBe('SUCCESS');
    const r1 = (await t.api.get(`${API}golden-config/?device=${ids.r1}`)).body.results[0];
    expect(r1.intended_config).toBe(`hostname r1
! site Lab
ntp server 10.0.0.1
ntp server 10.0.0.2
router bgp 65000
 neighbor 10.1.1.1 remote-as 65001
 neighbor 10.1.1.2 remote-as 65002
snmp-server community r1-ro RO`);
    expect(r1.intended_last_success_date).toBeTruthy();
  });

  it('logs a failure per device, with a link, when its template fails', async () => {
    const setting = (await t.api.get(`${API}golden-config-settings/`)).body.results[0];
    await t.api.patch(`${API}golden-config-settings/${setting.id}/`, {
      jinja_path_template: 'templates/{{ obj.name }}.j2',
    });
    const { result, log } = await runJob('golden_config.generate_intended', { devices: [ids.r2] });
    expect(result.status.value).toBe('FAILURE');
    expect(log).toContain('r2: no intended template at templates/r2.j2.');
    const entries = (await t.api.get(`/api/extras/job-logs/?job_result=${result.id}&limit=0`)).body.results;
    const failure = entries.find((e: { message: string }) => e.message.startsWith('r2:'));
    expect(failure.log_object).toBeTruthy();
    await t.api.patch(`${API}golden-config-settings/${setting.id}/`, {
      jinja_path_template: 'templates/{{ obj.platform.network_driver }}.j2',
    });
  });

  it('runs compliance per rule: ordered and unordered, missing and extra lines', async () => {
    const { result, log } = await runJob('golden_config.run_compliance');
    expect(result.status.value).toBe('SUCCESS');
    expect(log).toEqual(
      expect.arrayContaining([
        'r1: 1 of 3 rules compliant.',
        'r2: 2 of 3 rules compliant.',
        'r3: no backup or no intended configuration, skipped.',
      ]),
    );
    const results = (await t.api.get(`${API}config-compliance/?limit=0&depth=1`)).body.results as {
      device: { name: string };
      rule: { display: string };
      compliance: boolean;
      missing: string;
      extra: string;
      ordered: boolean;
      actual: string;
    }[];
    const of = (device: string, feature: string) =>
      results.find((r) => r.device.name === device && r.rule.display.startsWith(feature))!;
    expect(results).toHaveLength(6);
    // r1: ntp in another order, unordered rule: compliant.
    expect(of('r1', 'ntp')).toMatchObject({ compliance: true, missing: '', extra: '', ordered: false });
    // r1: bgp neighbours swapped, ordered rule: not compliant, nothing missing or extra.
    expect(of('r1', 'bgp')).toMatchObject({ compliance: false, missing: '', extra: '', ordered: true });
    // r1: an extra community.
    expect(of('r1', 'snmp')).toMatchObject({ compliance: false, extra: 'snmp-server community public RO' });
    expect(of('r2', 'ntp')).toMatchObject({
      compliance: false,
      missing: 'ntp server 10.0.0.2',
      extra: 'ntp server 10.0.0.9',
      actual: 'ntp server 10.0.0.1\nntp server 10.0.0.9',
    });
    expect(of('r2', 'bgp').compliance).toBe(true);
    expect(of('r2', 'snmp').compliance).toBe(true);
    const filtered = (await t.api.get(`${API}config-compliance/?compliance=true`)).body;
    expect(filtered.count).toBe(3);
    const golden = (await t.api.get(`${API}golden-config/?device=${ids.r1}`)).body.results[0];
    expect(golden.compliance_summary).toBe('1 of 3 compliant');
  });

  it('answers GraphQL for results', async () => {
    const res = await t.api.post('/api/graphql/', {
      query: `{ config_compliances(compliance: false) { device { name } rule { feature { name } } missing extra }
               golden_configs { device { name } compliance_summary } }`,
    });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.config_compliances).toHaveLength(3);
    expect(res.body.data.golden_configs).toEqual(
      expect.arrayContaining([{ device: { name: 'r2' }, compliance_summary: '2 of 3 compliant' }]),
    );
  });

  it('is listed among the installed plugins with its contributions', async () => {
    const installed = (await t.api.get('/api/plugins/installed-plugins/')).body as {
      name: string;
      models: { label: string }[];
      routes: string[];
      contributions: Record<string, string[]>;
    }[];
    const app = installed.find((p) => p.name === 'golden_config')!;
    expect(app.models.map((m) => m.label)).toHaveLength(6);
    expect(app.routes).toContain('GET /plugins/golden-config/overview');
    expect(Object.keys(app.contributions)).toEqual(
      expect.arrayContaining(['datasource-contents', 'jobs', 'navigation', 'template-extensions']),
    );
    expect(JSON.stringify(app.contributions.jobs)).toContain('golden_config.generate_intended');
  });

  it('keeps results from users without view permission', async () => {
    const { api } = await t.createUser('viewer', [{ actions: ['view'], object_types: ['dcim.device'] }]);
    expect((await api.get(`${API}config-compliance/`)).status).toBe(403);
    const res = await api.post('/api/graphql/', { query: '{ config_compliances { id } }' });
    expect(res.body.data?.config_compliances ?? null).toBeNull();
  });

  it('updates templates on a later sync', async () => {
    fixture.commit({
      'templates/cisco_ios.j2': `${TEMPLATE}! end\n`,
      'templates/nxos.njk': 'hostname {{ name }}\n',
    });
    const sync = await t.api.post(`/api/extras/git-repositories/${ids.repo}/sync/`, {});
    const { log } = await finished(sync.body.job_result);
    expect(log).toContain('Golden config templates: 1 created, 1 updated, 0 deleted.');
    const paths = (await t.api.get(`${API}config-templates/`)).body.results.map(
      (r: { path: string }) => r.path,
    );
    expect(paths).toEqual(['templates/cisco_ios.j2', 'templates/nxos.njk']);
  });

  describe('web UI', () => {
    let browser: Browser;
    let page: Page;
    const errors: string[] = [];
    const shot = (name: string) =>
      page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });

    beforeAll(async () => {
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      browser = await chromium.launch({
        executablePath: process.env.PLINTH_CHROMIUM ?? '/usr/bin/chromium',
        args: ['--no-sandbox', '--headless', '--disable-gpu', '--no-first-run'],
      });
      page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${t.baseUrl}/login/`);
      await page.fill('#id_username', 'admin');
      await page.fill('#id_password', 'admin-password-1');
      await page.click('button[type=submit]');
      await page.waitForURL(`${t.baseUrl}/`);
    });
    afterAll(async () => {
      await browser?.close();
    });

    it('shows the device tab with the compliance results and the side-by-side diff', async () => {
      await page.goto(`${t.baseUrl}/dcim/devices/${ids.r2}/`);
      await page.click('a.nav-link[href$="?tab=golden-config"]');
      await page.waitForSelector('.golden-config-diff');
      await expect(page.locator('.golden-config-summary').innerText()).resolves.toMatch(
        /^2 of 3 features compliant/,
      );
      const rows = page.locator('.golden-config-results tbody tr');
      await expect(rows.count()).resolves.toBe(3);
      await expect(rows.nth(1).innerText()).resolves.toMatch(
        /ntp\s+Non-compliant\s+No\s+ntp server 10.0.0.2\s+ntp server 10.0.0.9/,
      );
      // The changed ntp line is paired side by side.
      const changed = page.locator('.golden-config-diff tr.diff-changed');
      await expect(changed.count()).resolves.toBeGreaterThanOrEqual(1);
      await expect(page.locator('.golden-config-diff').innerText()).resolves.toContain('ntp server 10.0.0.9');
      await shot('device-golden-config-tab');
    });

    it('shows the devices × features matrix, linked from the navigation', async () => {
      await page.goto(`${t.baseUrl}/`);
      const link = page.locator('a[href="/plugins/golden-config/overview/"]').first();
      await expect(link.count()).resolves.toBe(1);
      await page.goto(`${t.baseUrl}/plugins/golden-config/overview/`);
      await expect(page.locator('.golden-config-matrix thead th').allInnerTexts()).resolves.toEqual([
        'Device',
        'bgp',
        'ntp',
        'snmp',
      ]);
      await expect(page.locator('.golden-config-cell-compliant').count()).resolves.toBe(3);
      await expect(page.locator('.golden-config-cell-noncompliant').count()).resolves.toBe(3);
      await expect(page.locator('.golden-config-overview-summary').innerText()).resolves.toBe(
        '2 devices · 3 of 6 results compliant (50 %)',
      );
      await shot('compliance-overview');
      expect(errors).toEqual([]);
    });

    it('refuses the overview to users who may not view results', async () => {
      await t.createUser('no-results', [], { password: 'no-results-password-1' });
      const other = await browser.newPage();
      await other.goto(`${t.baseUrl}/login/`);
      await other.fill('#id_username', 'no-results');
      await other.fill('#id_password', 'no-results-password-1');
      await other.click('button[type=submit]');
      await other.waitForURL(`${t.baseUrl}/`);
      const res = await other.goto(`${t.baseUrl}/plugins/golden-config/overview/`);
      expect(res?.status()).toBe(403);
      await expect(other.locator('.golden-config-matrix').count()).resolves.toBe(0);
      await other.close();
    });
  });

  it('removes what a repository provided when it stops providing it', async () => {
    const res = await t.api.patch(`/api/extras/git-repositories/${ids.repo}/`, {
      provided_contents: ['golden_config.intended_templates'],
    });
    expect(res.status).toBe(200);
    const r1 = (await t.api.get(`${API}golden-config/?device=${ids.r1}`)).body.results[0];
    expect(r1).toMatchObject({ backup_config: '', backup_last_success_date: null });
    expect(r1.intended_config).toContain('hostname r1');
    await t.api.delete(`/api/extras/git-repositories/${ids.repo}/`);
    expect((await t.api.get(`${API}config-templates/`)).body.count).toBe(0);
  });

  it('moves query texts stored by its first version into saved queries when migrating', async () => {
    const migration = new SavedGraphQLQuery1796654355438();
    const runner = t.ctx.database.dataSource.createQueryRunner();
    try {
      await migration.down(runner);
      await runner.query(`DELETE FROM "extras_graphqlquery"`);
      // A saved query already has the name the migration would give: it picks another.
      await runner.query(
        `INSERT INTO "extras_graphqlquery" ("created", "last_updated", "name", "query", "variables") VALUES (now(), now(), 'Golden config: IOS', '{ devices { name } }', '{}')`,
      );
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    const setting = (await t.api.get(`${API}golden-config-settings/?name=IOS`)).body.results[0];
    const saved = (await t.api.get(`/api/extras/graphql-queries/${String(setting.sot_agg_query.id)}/`)).body;
    expect(saved).toMatchObject({
      name: `Golden config: IOS ${String(setting.id)}`,
      query: 'query ($device_id: ID!) { device(id: $device_id) { name location { name } } }',
      variables: { device_id: null },
    });
  });
});
