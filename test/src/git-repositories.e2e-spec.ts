import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Logger } from '@nestjs/common';
import { QueueService } from '@plinth/core';
import { SYNC_JOB } from '@plinth/extras';
import { SECRETS, type SecretsService } from '@plinth/plugin-sdk';
import { createTestApp, onDatabase, until, type TestApp } from '@plinth/testing';
import { GitHttpServer, TestRepository } from './git-fixtures';
import { UiSession } from './ui-helpers';

const SECRETS_API = '/api/extras/secrets/';
const GROUPS = '/api/extras/secrets-groups/';
const ASSOCIATIONS = '/api/extras/secrets-groups-associations/';
const REPOS = '/api/extras/git-repositories/';
const TEMPLATES = '/api/extras/export-templates/';
const WIDGETS = '/api/plugins/example/widgets/';

/** Values the secrets resolve to: none may appear in any API response or log line. */
const PASSWORD = 'pw-Hunter2-do-not-leak';
const USERNAME = 'git-reader-7731';
const TOKEN = 'tok-9f8e7d6c5b4a-never-shown';

/**
 * Secrets and Git repositories on real transports on loopback: a bare repository fetched over
 * file:// (an air-gapped mirror) and one served by `git http-backend` behind HTTP basic
 * authentication whose credentials come from a secrets group.
 */
// With PLINTH_TEST_REDIS_URL the queue is Bull on Redis (this process is the worker).
const REDIS = process.env.PLINTH_TEST_REDIS_URL;

describe(onDatabase(`secrets and Git repositories (${REDIS ? 'Bull/Redis' : 'in-process'} queue)`), () => {
  let t: TestApp;
  let root: string;
  let mirror: TestRepository;
  let served: TestRepository;
  const server = { http: null as GitHttpServer | null };
  const responses: string[] = [];

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'plinth-git-'));
    mirror = new TestRepository(root, 'mirror');
    served = new TestRepository(path.join(root, 'served'), 'config');
    server.http = new GitHttpServer(path.join(root, 'served', 'mirrors'), USERNAME, PASSWORD);
    await server.http.start('127.0.0.2');
    process.env.PLINTH_TEST_GIT_USERNAME = USERNAME;
    process.env.PLINTH_TEST_GIT_PASSWORD = PASSWORD;
    process.env.PLINTH_TEST_GIT_WRONG = 'wrong-password-xyz';
    process.env.PLINTH_TEST_GIT_TOKEN_B64 = Buffer.from(TOKEN).toString('base64');
    fs.writeFileSync(path.join(root, 'token.txt'), `${TOKEN}\n`);
    t = await createTestApp({
      plugins: ['@plinth/plugin-example'],
      pluginsConfig: { example: { instance_name: 'git tests' } },
      env: {
        PLINTH_GIT_ROOT: path.join(root, 'checkouts'),
        PLINTH_GIT_FILE_ROOTS: path.join(root, 'mirrors'),
        PLINTH_GIT_ALLOWED_HOSTS: '127.0.0.2',
        ...(REDIS ? { REDIS_URL: REDIS } : {}),
      },
    });
    await t.app.get(QueueService).startWorker();
  });
  afterAll(async () => {
    await t?.close();
    await server.http?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  /** Every response body is kept: none may hold a secret value. */
  async function call(method: 'get' | 'post' | 'patch' | 'delete', url: string, body?: unknown) {
    const res = await (method === 'get' || method === 'delete'
      ? t.api[method](url)
      : t.api[method](url, body));
    responses.push(JSON.stringify(res.body ?? ''));
    return res;
  }

  async function secret(name: string, provider: string, parameters: Record<string, string>): Promise<string> {
    const res = await call('post', SECRETS_API, { name, provider, parameters });
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  async function group(name: string, members: [string, string, string][]): Promise<string> {
    const res = await call('post', GROUPS, { name });
    expect(res.status).toBe(201);
    for (const [access_type, secret_type, s] of members) {
      const a = await call('post', ASSOCIATIONS, {
        secrets_group: res.body.id,
        access_type,
        secret_type,
        secret: s,
      });
      expect(a.status).toBe(201);
    }
    return res.body.id as string;
  }

  async function syncNow(id: string): Promise<void> {
    await t.app.get(QueueService).run(SYNC_JOB, { repository: id });
  }

  describe('secrets', () => {
    it('refuses bad secrets with a 400 naming the field', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ provider: 'no-such-provider', parameters: {} }, 'provider'],
        [{ provider: 'environment-variable', parameters: {} }, 'parameters.variable'],
        [{ provider: 'environment-variable', parameters: { variable: 'X', extra: '1' } }, 'parameters.extra'],
        [{ provider: 'environment-variable', parameters: { variable: 'not a name' } }, 'parameters.variable'],
        [{ provider: 'text-file', parameters: { path: 'relative.txt' } }, 'parameters.path'],
        [{ provider: 'text-file', parameters: 'x' }, 'parameters'],
      ];
      for (const [body, field] of cases) {
        const res = await call('post', SECRETS_API, { name: 'bad', ...body });
        expect([res.status, Object.keys(res.body)]).toEqual([400, [field]]);
      }
      expect((await call('get', SECRETS_API)).body.count).toBe(0);
    });

    it('retrieves values through the SECRETS service only, with errors naming the secret', async () => {
      await secret('env password', 'environment-variable', { variable: 'PLINTH_TEST_GIT_PASSWORD' });
      await secret('file token', 'text-file', { path: path.join(root, 'token.txt') });
      await secret('plugin token', 'example-base64-env', { variable: 'PLINTH_TEST_GIT_TOKEN_B64' });
      await secret('unset', 'environment-variable', { variable: 'PLINTH_TEST_NOT_SET' });
      await secret('missing file', 'text-file', { path: path.join(root, 'nope.txt') });
      const secrets = t.app.get<SecretsService>(SECRETS);
      expect(await secrets.value('env password')).toBe(PASSWORD);
      expect(await secrets.value('file token')).toBe(TOKEN);
      expect(await secrets.value('plugin token')).toBe(TOKEN);
      await expect(secrets.value('unset')).rejects.toMatchObject({
        status: 400,
        message: 'Secret "unset": the environment variable PLINTH_TEST_NOT_SET is not set.',
      });
      await expect(secrets.value('missing file')).rejects.toThrow(
        /^Secret "missing file": the file .* cannot be read \(ENOENT\)\.$/,
      );

      const list = await call('get', `${SECRETS_API}?limit=100`);
      expect(list.body.results.map((s: { name: string }) => s.name)).toContain('plugin token');
      const gql = await call('post', '/api/graphql/', { query: '{ secrets { name provider parameters } }' });
      expect(gql.body.errors).toBeUndefined();
      expect(gql.body.data.secrets).toContainEqual({
        name: 'env password',
        provider: 'environment-variable',
        parameters: { variable: 'PLINTH_TEST_GIT_PASSWORD' },
      });
      // The provider field offers the registered providers, the plugin's among them.
      const options = await t.api.options(SECRETS_API);
      const providers = JSON.stringify(options.body);
      expect(providers).toContain('example-base64-env');
    });

    it('maps access and secret types to secrets in groups, and reads them by type', async () => {
      const s = (await call('get', `${SECRETS_API}?name=env%20password`)).body.results[0].id as string;
      const g = await group('only password', [['HTTP(S)', 'password', s]]);
      const dup = await call('post', ASSOCIATIONS, {
        secrets_group: g,
        access_type: 'HTTP(S)',
        secret_type: 'password',
        secret: s,
      });
      expect(dup.status).toBe(400);
      const bad = await call('post', ASSOCIATIONS, {
        secrets_group: g,
        access_type: 'FTP',
        secret_type: 'password',
        secret: s,
      });
      expect([bad.status, Object.keys(bad.body)]).toEqual([400, ['access_type']]);
      const values = await t.app.get<SecretsService>(SECRETS).group('only password');
      expect(await values.get('HTTP(S)', 'password')).toBe(PASSWORD);
      await expect(values.get('SSH', 'key')).rejects.toThrow(
        'Secrets group "only password" has no SSH key secret.',
      );
      // A secret in use by a group is protected.
      expect((await call('delete', `${SECRETS_API}${s}/`)).status).toBe(409);
      // Changes are logged.
      const changes = await call(
        'get',
        `/api/extras/object-changes/?changed_object_type=extras.secretsgroupassociation`,
      );
      expect(changes.body.count).toBe(1);
    });

    it('imports secrets from CSV (checked like the API) and exports them without values', async () => {
      const ui = await new UiSession(t.baseUrl).login();
      const bad = await ui.post('/extras/secrets/import/', {
        csv_data:
          'name,provider,parameters\ncsv ok,environment-variable,"{""variable"": ""X""}"\ncsv bad,text-file,"{""path"": ""rel""}"\n',
      });
      expect(bad.status).toBe(400);
      expect((await call('get', `${SECRETS_API}?name=csv%20ok`)).body.count).toBe(0);
      const ok = await ui.post('/extras/secrets/import/', {
        csv_data:
          'name,provider,parameters\ncsv env,environment-variable,"{""variable"": ""PLINTH_TEST_GIT_PASSWORD""}"\n',
      });
      expect(ok.status).toBe(303);
      const csv = await t
        .http()
        .get(`${SECRETS_API}?format=csv`)
        .set('Authorization', `Token ${t.api.token}`);
      expect(csv.text).toContain('csv env,');
      expect(csv.text).toContain('PLINTH_TEST_GIT_PASSWORD');
      expect(csv.text).not.toContain(PASSWORD);
    });

    it('offers no export templates of secrets (templates never see them)', async () => {
      const res = await call('post', TEMPLATES, {
        content_type: 'extras.secret',
        name: 'leak',
        template_code: '{% for s in queryset %}{{ s }}{% endfor %}',
      });
      expect([res.status, Object.keys(res.body)]).toEqual([400, ['content_type']]);
    });
  });

  describe('Git repositories', () => {
    it('refuses bad repositories with a 400 naming the field', async () => {
      const base = { name: 'bad', slug: 'bad', remote_url: 'https://example.com/r.git' };
      const cases: [Record<string, unknown>, string][] = [
        [{ remote_url: 'ftp://example.com/r.git' }, 'remote_url'],
        [{ remote_url: 'https://user:pw@example.com/r.git' }, 'remote_url'],
        [{ remote_url: 'file://host/srv/r.git' }, 'remote_url'],
        [{ remote_url: 'ext::sh -c touch% /tmp/pwned' }, 'remote_url'],
        [{ branch: '--upload-pack=touch' }, 'branch'],
        [{ branch: 'a..b' }, 'branch'],
        [{ provided_contents: ['no.such.content'] }, 'provided_contents'],
      ];
      for (const [change, field] of cases) {
        const res = await call('post', REPOS, { ...base, ...change });
        expect([res.status, Object.keys(res.body)]).toEqual([400, [field]]);
      }
    });

    it('syncs a file:// mirror: export templates and plugin contents appear and disappear with the repository', async () => {
      const first = mirror.commit({
        'export_templates/tenancy/tenant/names.txt': '{% for t in queryset %}{{ t.name }};{% endfor %}',
        'export_templates/tenancy/tenant/broken.txt': '{% for t in %}',
        'widgets.txt': 'git-widget-a\ngit-widget-b\n',
      });
      const created = await call('post', REPOS, {
        name: 'Mirror',
        slug: 'mirror',
        remote_url: `file://${mirror.bare}`,
        branch: 'main',
        provided_contents: ['extras.exporttemplate', 'example.widgets'],
      });
      expect(created.status).toBe(201);
      const id = created.body.id as string;
      expect(created.body.current_head).toBe('');

      const queued = await call('post', `${REPOS}${id}/sync/`, {});
      expect(queued.status).toBe(200);
      expect(queued.body.message).toBe('Repository Mirror sync job added to queue.');
      await until(
        'the queued sync',
        async () => (await call('get', `${REPOS}${id}/`)).body.current_head === first,
      );

      const owned = await call('get', `${TEMPLATES}?owner_object_id=${id}`);
      expect(owned.body.results.map((r: { name: string }) => r.name)).toEqual(['names.txt']);
      const template = owned.body.results[0];
      expect(template).toMatchObject({
        content_type: 'tenancy.tenant',
        owner_content_type: 'extras.gitrepository',
        file_extension: 'txt',
      });
      expect((await call('post', '/api/tenancy/tenants/', { name: 'Acme' })).status).toBe(201);
      const rendered = await fetch(`${t.baseUrl}/api/tenancy/tenants/?export=names.txt`, {
        headers: { Authorization: `Token ${t.api.token}` },
      });
      expect([rendered.status, await rendered.text()]).toEqual([200, 'Acme;']);

      // Read-only for users: changed and deleted only by the repository's sync.
      const edit = await call('patch', `${TEMPLATES}${template.id}/`, { description: 'mine now' });
      expect([edit.status, Object.keys(edit.body)]).toEqual([400, ['__all__']]);
      expect((await call('delete', `${TEMPLATES}${template.id}/`)).status).toBe(400);

      const widgets = await call('get', `${WIDGETS}?q=git-widget`);
      expect(widgets.body.results.map((w: { name: string }) => w.name).sort()).toEqual([
        'git-widget-a',
        'git-widget-b',
      ]);

      // Re-sync after the repository changed: the removed template and widget go, the new ones come.
      const second = mirror.commit({
        'export_templates/tenancy/tenant/names.txt': null,
        'export_templates/tenancy/tenant/slugs.csv': '{% for t in queryset %}{{ t.slug }}{% endfor %}',
        'widgets.txt': 'git-widget-b\ngit-widget-c\n',
        // A link out of the checkout is loaded as the link's text, not the file it points to.
        'export_templates/tenancy/tenant/token.txt': `symlink:${path.join(root, 'token.txt')}`,
      });
      await syncNow(id);
      expect((await call('get', `${REPOS}${id}/`)).body.current_head).toBe(second);
      const after = await call('get', `${TEMPLATES}?owner_object_id=${id}`);
      expect(
        after.body.results.map((r: { name: string; mime_type: string }) => [r.name, r.mime_type]),
      ).toEqual([
        ['slugs.csv', 'text/csv'],
        ['token.txt', 'text/plain'],
      ]);
      const link = after.body.results[1].template_code as string;
      expect([link, link.includes(TOKEN)]).toEqual([path.join(root, 'token.txt'), false]);
      // Only users who may change repositories may sync them.
      const viewer = await t.createUser('repo-viewer', [
        { actions: ['view'], object_types: ['extras.gitrepository'] },
      ]);
      expect((await viewer.api.post(`${REPOS}${id}/sync/`, {})).status).toBe(403);
      const widgets2 = await call('get', `${WIDGETS}?q=git-widget`);
      expect(widgets2.body.results.map((w: { name: string }) => w.name).sort()).toEqual([
        'git-widget-b',
        'git-widget-c',
      ]);

      // No longer providing widgets: the handler removes them at once.
      const patched = await call('patch', `${REPOS}${id}/`, { provided_contents: ['extras.exporttemplate'] });
      expect(patched.status).toBe(200);
      expect((await call('get', `${WIDGETS}?q=git-widget`)).body.count).toBe(0);

      // Deleting the repository removes its templates and its checkout.
      expect(fs.existsSync(path.join(root, 'checkouts', id, 'export_templates'))).toBe(true);
      expect((await call('delete', `${REPOS}${id}/`)).status).toBe(204);
      expect((await call('get', `${TEMPLATES}?owner_object_id=${id}`)).body.count).toBe(0);
      expect(fs.existsSync(path.join(root, 'checkouts', id))).toBe(false);
    });

    it("syncs config contexts and schemas from Nautobot's layout, owned by the repository", async () => {
      const head = mirror.commit({
        'config_context_schemas/ntp.json': JSON.stringify({
          _metadata: { name: 'git-ntp' },
          data_schema: { type: 'object', properties: { ntp: { type: 'array', items: { type: 'string' } } } },
        }),
        'config_contexts/global.yaml':
          '_metadata:\n  name: git-global\n  weight: 100\n  schema: git-ntp\nntp:\n  - 10.0.0.1\n',
        'config_contexts/bad.yaml': '_metadata:\n  name: git-bad\n  schema: git-ntp\nntp: not-a-list\n',
      });
      const created = await call('post', REPOS, {
        name: 'Contexts',
        slug: 'contexts',
        remote_url: `file://${mirror.bare}`,
        branch: 'main',
        provided_contents: ['extras.configcontext'],
      });
      expect(created.status).toBe(201);
      const id = created.body.id as string;
      await syncNow(id);
      expect((await call('get', `${REPOS}${id}/`)).body.current_head).toBe(head);
      const contexts = await call('get', `/api/extras/config-contexts/?owner_object_id=${id}`);
      expect(contexts.body.results.map((c: { name: string }) => c.name)).toEqual(['git-global']);
      expect(contexts.body.results[0]).toMatchObject({
        weight: 100,
        data: { ntp: ['10.0.0.1'] },
        owner_content_type: 'extras.gitrepository',
      });
      const schemas = await call('get', `/api/extras/config-context-schemas/?owner_object_id=${id}`);
      expect(schemas.body.count).toBe(1);
      // Read-only for users; the repository's removal takes them away.
      const edit = await call('patch', `/api/extras/config-contexts/${contexts.body.results[0].id}/`, {
        weight: 5,
      });
      expect(edit.status).toBe(400);
      expect((await call('delete', `${REPOS}${id}/`)).status).toBe(204);
      expect((await call('get', `/api/extras/config-contexts/?owner_object_id=${id}`)).body.count).toBe(0);
      expect(
        (await call('get', `/api/extras/config-context-schemas/?owner_object_id=${id}`)).body.count,
      ).toBe(0);
    });

    it('refuses file:// paths outside PLINTH_GIT_FILE_ROOTS and private hosts outside PLINTH_GIT_ALLOWED_HOSTS', async () => {
      const outside = await call('post', REPOS, {
        name: 'Outside',
        slug: 'outside',
        remote_url: `file://${served.bare}`,
      });
      expect(outside.status).toBe(201);
      await expect(syncNow(outside.body.id)).rejects.toThrow(
        `Sync of Outside failed: Refused: ${served.bare} is not under a directory of PLINTH_GIT_FILE_ROOTS; add its mirror directory there to allow it.`,
      );
      const port = new URL(server.http!.url).port;
      const loop = await call('post', REPOS, {
        name: 'Loopback',
        slug: 'loopback',
        remote_url: `http://localhost:${port}/config.git`,
      });
      await expect(syncNow(loop.body.id)).rejects.toThrow(
        /Refused: localhost resolves to .* add it to PLINTH_GIT_ALLOWED_HOSTS/,
      );
      expect((await call('get', `${REPOS}${loop.body.id}/`)).body.current_head).toBe('');
    });

    it('syncs over HTTP with basic credentials from a secrets group; wrong ones fail without leaking', async () => {
      const head = served.commit({ 'export_templates/tenancy/tenant/served.txt': 'served' });
      const user = await secret('git user', 'environment-variable', { variable: 'PLINTH_TEST_GIT_USERNAME' });
      const pass = await secret('git pass', 'environment-variable', { variable: 'PLINTH_TEST_GIT_PASSWORD' });
      const wrong = await secret('git wrong', 'environment-variable', { variable: 'PLINTH_TEST_GIT_WRONG' });
      const good = await group('git good', [
        ['HTTP(S)', 'username', user],
        ['HTTP(S)', 'password', pass],
      ]);
      const bad = await group('git bad', [
        ['HTTP(S)', 'username', user],
        ['HTTP(S)', 'password', wrong],
      ]);
      const repo = await call('post', REPOS, {
        name: 'Served',
        slug: 'served',
        remote_url: `${server.http!.url}/config.git`,
        secrets_group: bad,
        provided_contents: ['extras.exporttemplate'],
      });
      expect(repo.status).toBe(201);
      const id = repo.body.id as string;

      let message = '';
      const logged = jest.spyOn(Logger.prototype, 'log');
      await syncNow(id).catch((e: Error) => (message = e.message));
      const lines = logged.mock.calls.map((c) => String(c[0]));
      logged.mockRestore();
      expect(lines).toContainEqual(
        expect.stringMatching(/Sync of Served failed: git fetch failed: .*Authentication failed/s),
      );
      for (const line of lines)
        for (const v of [USERNAME, PASSWORD, 'wrong-password-xyz']) expect(line).not.toContain(v);
      expect(message).toMatch(/^Sync of Served failed: git fetch failed: .*Authentication failed/s);
      for (const v of [
        USERNAME,
        'wrong-password-xyz',
        Buffer.from(`${USERNAME}:wrong-password-xyz`).toString('base64'),
      ])
        expect(message).not.toContain(v);
      expect((await call('get', `${REPOS}${id}/`)).body.current_head).toBe('');

      await call('patch', `${REPOS}${id}/`, { secrets_group: good });
      await syncNow(id);
      expect((await call('get', `${REPOS}${id}/`)).body.current_head).toBe(head);
      expect((await call('get', `${TEMPLATES}?owner_object_id=${id}`)).body.results[0].name).toBe(
        'served.txt',
      );
      // The server saw the group's credentials, as HTTP basic authentication.
      const basic = `Basic ${Buffer.from(`${USERNAME}:${PASSWORD}`).toString('base64')}`;
      expect(server.http!.authorizations).toContain(basic);
      // Nothing of them stays in the checkout's configuration.
      const config = fs.readFileSync(path.join(root, 'checkouts', id, '.git', 'config'), 'utf8');
      expect(config).not.toContain(PASSWORD);
      expect(config).not.toContain(basic.slice(6));

      // A token with a username (Nautobot's HTTP(S) token credentials) is sent as user:token.
      const tokenGroup = await group('git token', [
        ['HTTP(S)', 'username', user],
        ['HTTP(S)', 'token', pass],
      ]);
      const next = served.commit({ 'export_templates/tenancy/tenant/served.txt': 'served again' });
      await call('patch', `${REPOS}${id}/`, { secrets_group: tokenGroup });
      await syncNow(id);
      expect((await call('get', `${REPOS}${id}/`)).body.current_head).toBe(next);
    });

    it('never returns a secret value in any API response', () => {
      expect(responses.length).toBeGreaterThan(20);
      for (const body of responses)
        for (const v of [PASSWORD, TOKEN, USERNAME]) expect(body).not.toContain(v);
    });
  });
});
