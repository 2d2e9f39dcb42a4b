import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createTestApp, onDatabase, type TestApp, until } from '@plinth/testing';
import { FIRST_PARTY_APPS } from './first-party-apps';

const APPS = FIRST_PARTY_APPS;
const ICS = path.resolve(
  __dirname,
  '../../plugins/app-circuit-maintenance/test/fixtures/bcop-maintenance.ics',
);

type Row = Record<string, unknown>;

/** Run git quietly in `cwd` (a fixture repository), with no user configuration. */
function git(cwd: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@plinth.invalid', ...args], {
    cwd,
    env: { PATH: process.env.PATH, HOME: cwd, GIT_CONFIG_NOSYSTEM: '1' },
  });
}

/**
 * The five first-party apps enabled together, each used end to end through the public surfaces
 * (they are built on the public SDK only, so nothing here reaches inside them).
 */
describe(onDatabase('first-party apps together'), () => {
  let t: TestApp;
  let root: string;
  const ids: Record<string, string> = {};

  async function post(url: string, body: unknown): Promise<Row> {
    const res = await t.api.post(url, body);
    if (res.status !== 201) throw new Error(`${url}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Row;
  }
  async function runJob(name: string, data: Row = {}): Promise<{ status: string; log: string[] }> {
    const job = (await t.api.get(`/api/extras/jobs/?job_class_name=${name}`)).body.results[0];
    await t.api.patch(`/api/extras/jobs/${job.id}/`, { enabled: true });
    const res = await t.api.post(`/api/extras/jobs/${job.id}/run/`, { data });
    expect(res.status).toBe(201);
    return finished(res.body.job_result.id);
  }
  async function finished(id: string): Promise<{ status: string; log: string[] }> {
    const r = await until(`job result ${id}`, async () => {
      const x = (await t.api.get(`/api/extras/job-results/${id}/`)).body;
      return ['SUCCESS', 'FAILURE'].includes(String(x.status?.value)) ? x : null;
    });
    const log = (await t.api.get(`/api/extras/job-logs/?job_result=${id}&limit=0`)).body.results as Row[];
    return { status: String(r.status.value), log: log.map((l) => String(l.message)) };
  }

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'plinth-apps-'));
    // A Git repository with an intended-config template and a backup, for golden config.
    const bare = path.join(root, 'mirrors', 'configs.git');
    const work = path.join(root, 'work');
    fs.mkdirSync(bare, { recursive: true });
    fs.mkdirSync(path.join(work, 'templates'), { recursive: true });
    fs.mkdirSync(path.join(work, 'backups'), { recursive: true });
    git(bare, 'init', '--quiet', '--bare', '-b', 'main');
    git(work, 'init', '--quiet', '-b', 'main');
    fs.writeFileSync(path.join(work, 'templates', 'ios.j2'), 'hostname {{ name }}\nntp server 10.0.0.1\n');
    fs.writeFileSync(
      path.join(work, 'backups', 'fra1-rtr1.cfg'),
      'hostname fra1-rtr1\nntp server 10.0.0.9\n',
    );
    git(work, 'add', '--all');
    git(work, 'commit', '--quiet', '-m', 'configs');
    git(work, 'push', '--quiet', bare, 'main');

    t = await createTestApp({
      plugins: APPS,
      pluginsConfig: {
        circuit_maintenance: { provider_map: { 'acmetransit.example': 'Acme Transit' } },
        capacity_metrics: { cache_ttl_seconds: 0 },
      },
      worker: true,
      env: {
        ...(process.env.PLINTH_TEST_REDIS_URL ? { REDIS_URL: process.env.PLINTH_TEST_REDIS_URL } : {}),
        PLINTH_GIT_ROOT: path.join(root, 'checkouts'),
        PLINTH_GIT_FILE_ROOTS: path.join(root, 'mirrors'),
      },
    });
    const manufacturer = await post('/api/dcim/manufacturers/', { name: 'Cisco' });
    const type = await post('/api/dcim/device-types/', { manufacturer: manufacturer.id, model: 'C8000' });
    const role = await post('/api/extras/roles/', { name: 'Router', content_types: ['dcim.device'] });
    const site = await post('/api/dcim/location-types/', {
      name: 'Site',
      content_types: ['dcim.device', 'circuits.circuittermination'],
    });
    const fra = await post('/api/dcim/locations/', {
      name: 'FRA1',
      location_type: site.id,
      status: 'Active',
    });
    const platform = await post('/api/dcim/platforms/', { name: 'IOS', network_driver: 'ios' });
    Object.assign(ids, {
      type: type.id,
      role: role.id,
      fra: fra.id,
      platform: platform.id,
    });
    const device = await post('/api/dcim/devices/', {
      name: 'fra1-rtr1',
      device_type: type.id,
      role: role.id,
      location: fra.id,
      status: 'Active',
      platform: platform.id,
    });
    ids.device = String(device.id);
    await post('/api/circuits/providers/', { name: 'Acme Transit' });
    await post('/api/circuits/circuit-types/', { name: 'Transit' });
    for (const cid of ['ACME-1001', 'ACME-1002']) {
      const c = await post('/api/circuits/circuits/', {
        cid,
        provider: 'Acme Transit',
        circuit_type: 'Transit',
        status: 'Active',
      });
      await post('/api/circuits/circuit-terminations/', { circuit: c.id, term_side: 'A', location: fra.id });
    }
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('lists all five apps and their contributions on the installed-plugins API', async () => {
    const res = await t.api.get('/api/plugins/installed-plugins/');
    const names = (res.body as Row[]).map((p) => p.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'data_validation',
        'golden_config',
        'circuit_maintenance',
        'capacity_metrics',
        'healthcheck',
      ]),
    );
  });

  it('is healthy: the public summary answers 200 with every check ok or skipped', async () => {
    const res = await t.http().get('/plugins/healthcheck/?format=json');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.checks.database).toBe('ok');
    expect(res.body.checks.migrations).toBe('ok');
  });

  it('enforces a data validation rule on device names, naming the field', async () => {
    await post('/api/plugins/data-validation/regex-rules/', {
      name: 'Device names are lower case',
      content_type: 'dcim.device',
      field: 'name',
      regular_expression: '^[a-z0-9-]+$',
      error_message: 'Device names are lower-case letters, digits and dashes.',
    });
    const bad = await t.api.post('/api/dcim/devices/', {
      name: 'FRA1 RTR2',
      device_type: ids.type,
      role: ids.role,
      location: ids.fra,
      status: 'Active',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.name).toEqual(['Device names are lower-case letters, digits and dashes.']);
    const { status } = await runJob('data_validation.audit');
    expect(status).toBe('SUCCESS');
  });

  it('ingests a BCOP maintenance notification for the circuits it names', async () => {
    const res = await t.api.post('/api/plugins/circuit-maintenance/upload/', {
      raw: fs.readFileSync(ICS, 'utf8'),
      filename: 'bcop-maintenance.ics',
    });
    expect(res.status).toBe(201);
    const maintenance = (await t.api.get('/api/plugins/circuit-maintenance/maintenance/?name=ACME-MAINT-1'))
      .body.results[0] as Row;
    expect(maintenance).toBeDefined();
    const impacts = (
      await t.api.get(`/api/plugins/circuit-maintenance/circuitimpact/?maintenance=${String(maintenance.id)}`)
    ).body.count;
    expect(impacts).toBe(2);
  });

  it('checks the device against its intended configuration from Git (golden config)', async () => {
    const API = '/api/plugins/golden-config/';
    const repo = await post('/api/extras/git-repositories/', {
      name: 'Configs',
      slug: 'configs',
      remote_url: `file://${path.join(root, 'mirrors', 'configs.git')}`,
      branch: 'main',
      provided_contents: ['golden_config.intended_templates', 'golden_config.backup_configs'],
    });
    const feature = await post(`${API}compliance-feature/`, { name: 'ntp', slug: 'ntp' });
    await post(`${API}compliance-rule/`, {
      feature: feature.id,
      platform: ids.platform,
      match_config: 'ntp server',
    });
    const query = await post('/api/extras/graphql-queries/', {
      name: 'Device name',
      query: 'query ($device_id: ID!) { device(id: $device_id) { name } }',
    });
    await post(`${API}golden-config-settings/`, {
      name: 'IOS',
      slug: 'ios',
      platform: ids.platform,
      jinja_repository: repo.id,
      jinja_path_template: 'templates/{{ obj.platform.network_driver }}.j2',
      backup_repository: repo.id,
      backup_path_template: 'backups/{{ obj.name }}.cfg',
      sot_agg_query: query.id,
    });
    const sync = await t.api.post(`/api/extras/git-repositories/${String(repo.id)}/sync/`, {});
    expect((await finished(sync.body.job_result)).status).toBe('SUCCESS');
    expect((await runJob('golden_config.generate_intended', { platform: ids.platform })).status).toBe(
      'SUCCESS',
    );
    expect((await runJob('golden_config.run_compliance')).status).toBe('SUCCESS');
    const [result] = (await t.api.get(`${API}config-compliance/?device=${ids.device}`)).body.results as Row[];
    expect(result).toMatchObject({
      compliance: false,
      missing: 'ntp server 10.0.0.1',
      extra: 'ntp server 10.0.0.9',
    });
  });

  it('exports capacity metrics of what the other apps and the tests made', async () => {
    const res = await t.http().get('/metrics').set('Authorization', `Token ${t.api.token!}`);
    expect(res.status).toBe(200);
    expect(res.text).toMatch(
      /^capacity_metrics_devices\{location="FRA1",status="Active",role="Router"\} 1$/m,
    );
    // The jobs run above, by name and status.
    expect(res.text).toMatch(/^capacity_metrics_job_results\{job="Run compliance",status="SUCCESS"\} 1$/m);
  });
});
