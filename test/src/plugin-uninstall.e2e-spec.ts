import request from 'supertest';
import { buildContext, loadConfig, loadPlugins } from '@plinth/core';
import { ContentTypeReferences } from '@plinth/plugin-sdk';
import { onDatabase } from '@plinth/testing';
import { ROOT, installation, plinth, start } from './cli-helpers';

const TOKEN = 'b'.repeat(40);
const EXAMPLE = {
  PLINTH_PLUGINS: '@plinth/plugin-example',
  PLINTH_PLUGINS_CONFIG: '{"example":{"instance_name":"uninstall"}}',
};

type Query = <T = Record<string, unknown>>(text: string) => Promise<T[]>;

/** Raw SQL on an installation's database (the server must not be running on PGlite). */
async function withDatabase(env: Record<string, string>, fn: (sql: Query) => Promise<void>): Promise<void> {
  const ctx = await buildContext(loadConfig({ ...env, PLINTH_PLUGINS: '' }, ROOT));
  try {
    await fn(async <T>(text: string) => (await ctx.database.dataSource.query(text)) as T[]);
  } finally {
    await ctx.database.close();
  }
}

describe(onDatabase('plinth plugins uninstall'), () => {
  // Runs plinth processes (migrate, uninstall, start) one after the other.
  jest.setTimeout(300_000);

  it('registers every column of model labels, so that uninstalling leaves none behind', () => {
    const { models, registries } = loadPlugins(loadConfig({ ...EXAMPLE }, ROOT));
    const registered = new Set(
      registries
        .get(ContentTypeReferences)
        .items()
        .map((r) => `${r.table}.${r.column}`),
    );
    const labelColumns = models
      .all()
      .flatMap((m) =>
        m.fields.filter((f) => f.content_types && f.column).map((f) => `${m.table}.${f.column}`),
      );
    expect(labelColumns.length).toBeGreaterThanOrEqual(5);
    expect(labelColumns.filter((c) => !registered.has(c))).toEqual([]);
    for (const c of ['core_objectchange.changed_object_type', 'extras_taggeditem.content_type'])
      expect(registered).toContain(c);
  });

  it("drops the plugin's tables and history and its rows in core tables; Plinth starts without it", async () => {
    const { env, dispose } = await installation();
    const withExample = { ...env, ...EXAMPLE };
    try {
      expect((await plinth(['migrate'], withExample)).code).toBe(0);

      // Data: widgets (tagged, change-logged), permissions and a tag naming the widget model.
      const server = await start({
        ...withExample,
        PLINTH_SUPERUSER_NAME: 'admin',
        PLINTH_SUPERUSER_PASSWORD: 'admin-password',
        PLINTH_SUPERUSER_API_TOKEN: TOKEN,
      });
      try {
        const api = (method: 'get' | 'post', path: string, body?: unknown) => {
          const r = request(server.url)[method](path).set('Authorization', `Token ${TOKEN}`);
          return body === undefined ? r : r.send(body as object);
        };
        const tag = await api('post', '/api/extras/tags/', {
          name: 'shiny',
          content_types: ['example.widget', 'dcim.device'],
        });
        expect(tag.status).toBe(201);
        const widget = await api('post', '/api/plugins/example/widgets/', {
          name: 'w1',
          status: 'Active',
          tags: ['shiny'],
        });
        expect(widget.status).toBe(201);
        // The example plugin's relationship (installed by its hook), with an association.
        const related = await api('post', '/api/plugins/example/widgets/', {
          name: 'w2',
          status: 'Active',
          relationships: { example_compatible: { peer: { objects: [widget.body.id] } } },
        });
        expect(related.status).toBe(201);
        const perms = await api('post', '/api/users/permissions/', [
          { name: 'widgets-only', actions: ['view'], object_types: ['example.widget'] },
          { name: 'widgets-and-devices', actions: ['view'], object_types: ['example.widget', 'dcim.device'] },
        ]);
        expect(perms.status).toBe(201);
      } finally {
        expect(await server.stop()).toBe(0);
      }

      // Refusals change nothing.
      const unconfirmed = await plinth(['plugins', 'uninstall', 'example'], withExample);
      expect(unconfirmed.code).toBe(1);
      expect(unconfirmed.err.trim()).toBe('plinth: not uninstalling without confirmation: pass --yes');
      const builtin = await plinth(['plugins', 'uninstall', 'dcim', '--yes'], withExample);
      expect(builtin.err.trim()).toBe('plinth: plugin "dcim": is built in; it cannot be uninstalled');
      const unknown = await plinth(['plugins', 'uninstall', 'nothing_here', '--yes'], withExample);
      expect(unknown.err.trim()).toBe(
        'plinth: plugin "nothing_here": no such plugin is enabled or installed in this database',
      );
      await withDatabase(env, async (sql) => {
        expect(await sql('SELECT count(*)::int AS n FROM example_widget')).toEqual([{ n: 2 }]);
      });

      const res = await plinth(['plugins', 'uninstall', 'example', '--yes'], withExample);
      expect(res.err).toBe('');
      expect(res.code).toBe(0);
      expect(res.out).toContain('Uninstalling plugin "example" removes, in one transaction:');
      expect(res.out).toContain('table example_widget (2 rows)');
      expect(res.out).toContain('migration history plinth_migrations_example');
      expect(res.out).toMatch(/change records: \d+ rows? deleted \(core_objectchange\.changed_object_type\)/);
      expect(res.out).toContain('tag assignments: 1 row deleted (extras_taggeditem.content_type)');
      expect(res.out).toContain('object permissions: 1 row deleted, 1 row updated');
      expect(res.out).toContain('Uninstalled "example".');
      expect(res.out).toContain('It is still enabled: remove @plinth/plugin-example from PLINTH_PLUGINS');

      await withDatabase(env, async (sql) => {
        const tables = await sql<{ tablename: string }>(
          `SELECT tablename FROM pg_tables WHERE tablename LIKE 'example%' OR tablename = 'plinth_migrations_example'`,
        );
        expect(tables).toEqual([]);
        const leftovers = await sql<{ where: string; n: number }>(
          `SELECT 'changes' AS where, count(*)::int AS n FROM core_objectchange WHERE changed_object_type LIKE 'example.%'
           UNION ALL SELECT 'tagged', count(*)::int FROM extras_taggeditem WHERE content_type LIKE 'example.%'
           UNION ALL SELECT 'statuses', count(*)::int FROM extras_status WHERE 'example.widget' = ANY(content_types)
           UNION ALL SELECT 'tags', count(*)::int FROM extras_tag WHERE 'example.widget' = ANY(content_types)
           UNION ALL SELECT 'permissions', count(*)::int FROM core_objectpermission WHERE 'example.widget' = ANY(object_types)
           UNION ALL SELECT 'relationships', count(*)::int FROM extras_relationship WHERE source_type LIKE 'example.%'
           UNION ALL SELECT 'associations', count(*)::int FROM extras_relationshipassociation WHERE source_type LIKE 'example.%'`,
        );
        expect(leftovers).toEqual(
          ['changes', 'tagged', 'statuses', 'tags', 'permissions', 'relationships', 'associations'].map(
            (where) => ({ where, n: 0 }),
          ),
        );
        const kept = await sql(
          `SELECT name, object_types AS labels FROM core_objectpermission WHERE name LIKE 'widgets-%'
           UNION ALL SELECT name, content_types FROM extras_tag WHERE name = 'shiny'`,
        );
        expect(kept).toEqual([
          { name: 'widgets-and-devices', labels: ['dcim.device'] },
          { name: 'shiny', labels: ['dcim.device'] },
        ]);
        const [active] = await sql<{ content_types: string[] }>(
          `SELECT content_types FROM extras_status WHERE name = 'Active'`,
        );
        expect(active.content_types).toEqual(expect.arrayContaining(['dcim.device']));
      });

      // Plinth without the plugin starts, and lists no third-party plugin.
      const without = await start(env);
      try {
        const installed = await request(without.url)
          .get('/api/plugins/installed-plugins/')
          .set('Authorization', `Token ${TOKEN}`);
        expect(installed.status).toBe(200);
        expect(installed.body).toEqual([]);
      } finally {
        expect(await without.stop()).toBe(0);
      }

      // Enabling it again installs it from scratch.
      const again = await plinth(['migrate'], withExample);
      expect(again.out).toMatch(/applied example\/ExampleInitial\d+/);
      expect(again.code).toBe(0);
    } finally {
      await dispose();
    }
  });
});
