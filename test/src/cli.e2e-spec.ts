import request from 'supertest';
import { onDatabase } from '@plinth/testing';
import { installation, plinth, start } from './cli-helpers';

const TOKEN = 'a'.repeat(40);

describe(onDatabase('the plinth command line'), () => {
  // Each test runs several plinth processes one after the other (migrate, createsuperuser, start):
  // on a busy 2-core machine that takes longer than the default two minutes.
  jest.setTimeout(300_000);

  it('lists plugins, including enabled third-party ones', async () => {
    const { env, dispose } = await installation();
    try {
      const res = await plinth(['plugins', 'list'], {
        ...env,
        PLINTH_PLUGINS: '@plinth/plugin-example',
        PLINTH_PLUGINS_CONFIG: '{"example":{"instance_name":"cli"}}',
      });
      expect(res.code).toBe(0);
      expect(res.out).toMatch(/^NAME\s+VERSION\s+PACKAGE/m);
      expect(res.out).toMatch(/^users\s+\d+\.\d+\.\d+\s+built-in/m);
      expect(res.out).toMatch(/^example\s+1\.0\.0\s+@plinth\/plugin-example\s+\/plugins\/example\/\s+2$/m);
    } finally {
      await dispose();
    }
  });

  it('stops with one line naming the plugin when a required setting is missing', async () => {
    const { env, dispose } = await installation();
    try {
      const res = await plinth(['start'], { ...env, PLINTH_PLUGINS: '@plinth/plugin-example' });
      expect(res.code).toBe(1);
      expect(res.err.trim()).toBe(
        'plinth: plugin "example": required setting "instance_name" is missing from plugins_config.example',
      );
    } finally {
      await dispose();
    }
  });

  it('migrates explicitly, creates a superuser with a token, and runs plugin commands', async () => {
    const { env, dispose } = await installation();
    const pluginEnv = {
      ...env,
      PLINTH_PLUGINS: '@plinth/plugin-example',
      PLINTH_PLUGINS_CONFIG: '{"example":{"instance_name":"cli"}}',
    };
    try {
      const check = await plinth(['migrate', '--check'], pluginEnv);
      expect(check.code).toBe(1);
      expect(check.out).toMatch(/pending: core\/CoreInitial/);
      const first = await plinth(['migrate'], pluginEnv);
      expect(first.code).toBe(0);
      expect(first.out).toMatch(/Applied ([3-9]|[1-9]\d+) migration\(s\)\./);
      const again = await plinth(['migrate'], pluginEnv);
      expect(again.out).toContain('No migrations to apply.');
      expect((await plinth(['migrate', '--check'], pluginEnv)).code).toBe(0);

      const su = await plinth(
        [
          'createsuperuser',
          '--no-input',
          '--username',
          'ops',
          '--password',
          'ops-password',
          '--token',
          TOKEN,
        ],
        pluginEnv,
      );
      expect(su.code).toBe(0);
      expect(su.out).toContain('Created superuser "ops".');
      const dup = await plinth(
        ['createsuperuser', '--no-input', '--username', 'ops', '--password', 'ops-password'],
        pluginEnv,
      );
      expect(dup.code).toBe(1);
      expect(dup.err).toContain('user "ops" already exists');

      const widgets = await plinth(['example-widgets'], pluginEnv);
      expect(widgets.code).toBe(0);
      expect(widgets.out).toContain('0 widget(s)');

      const server = await start(pluginEnv);
      try {
        const res = await request(server.url)
          .get('/api/users/users/?username=ops')
          .set('Authorization', `Token ${TOKEN}`);
        expect(res.status).toBe(200);
        expect(res.body.results[0]).toMatchObject({ username: 'ops', is_superuser: true });
        // Nothing was printed about a generated password: a user existed.
        expect(server.out()).not.toContain('password:');
      } finally {
        expect(await server.stop()).toBe(0);
      }
    } finally {
      await dispose();
    }
  });

  it('starts from nothing, prints a generated admin password once, and keeps data across restarts', async () => {
    const { env, dispose } = await installation();
    try {
      const first = await start(env);
      let password: string;
      try {
        const m = /password: (\S+)/.exec(first.out());
        expect(m).not.toBeNull();
        password = m![1];
        const token = await request(first.url)
          .post('/api/users/tokens/provision/')
          .send({ username: 'admin', password });
        expect(token.status).toBe(201);
        const tag = await request(first.url)
          .post('/api/extras/tags/')
          .set('Authorization', `Token ${token.body.key}`)
          .send({ name: 'survives' });
        expect(tag.status).toBe(201);
        process.stdout.write(`plinth start (fresh database): ${first.startedMs} ms\n`);
      } finally {
        expect(await first.stop()).toBe(0);
      }
      const second = await start({
        ...env,
        PLINTH_SUPERUSER_NAME: 'envuser',
        PLINTH_SUPERUSER_PASSWORD: 'env-password',
        PLINTH_SUPERUSER_API_TOKEN: TOKEN,
      });
      try {
        expect(second.out()).not.toContain('password:');
        expect(second.out()).toContain('Created superuser "envuser".');
        const tags = await request(second.url)
          .get('/api/extras/tags/?name=survives')
          .set('Authorization', `Token ${TOKEN}`);
        expect(tags.body.count).toBe(1);
        process.stdout.write(`plinth start (existing database): ${second.startedMs} ms\n`);
      } finally {
        expect(await second.stop()).toBe(0);
      }
    } finally {
      await dispose();
    }
  });
});
