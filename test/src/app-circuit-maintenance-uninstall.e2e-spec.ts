import request from 'supertest';
import { buildContext, loadConfig } from '@plinth/core';
import { onDatabase } from '@plinth/testing';
import { ROOT, installation, plinth, start } from './cli-helpers';

const TOKEN = 'c'.repeat(40);
const APP = { PLINTH_PLUGINS: '@plinth/app-circuit-maintenance' };

describe(onDatabase('plinth plugins uninstall circuit_maintenance'), () => {
  // Runs plinth processes (migrate, start, uninstall) one after the other.
  jest.setTimeout(300_000);

  it("drops the circuit maintenance app's tables and history; Plinth starts without it", async () => {
    const { env, dispose } = await installation();
    const withApp = { ...env, ...APP };
    try {
      expect((await plinth(['migrate'], withApp)).code).toBe(0);
      const server = await start({
        ...withApp,
        PLINTH_SUPERUSER_NAME: 'admin',
        PLINTH_SUPERUSER_PASSWORD: 'admin-password',
        PLINTH_SUPERUSER_API_TOKEN: TOKEN,
      });
      try {
        const post = (path: string, body: object) =>
          request(server.url).post(path).set('Authorization', `Token ${TOKEN}`).send(body);
        const m = await post('/api/plugins/circuit-maintenance/maintenance/', {
          name: 'M-1',
          start_time: '2030-01-01T00:00:00Z',
          end_time: '2030-01-01T02:00:00Z',
        });
        expect(m.status).toBe(201);
        const kept = await post('/api/plugins/circuit-maintenance/upload/', {
          raw: 'Subject: hello\n\nno maintenance',
        });
        expect(kept.body).toMatchObject([{ parsed: false }]);
      } finally {
        expect(await server.stop()).toBe(0);
      }

      const res = await plinth(['plugins', 'uninstall', 'circuit_maintenance', '--yes'], withApp);
      expect(res.err).toBe('');
      expect(res.code).toBe(0);
      expect(res.out).toContain('table circuit_maintenance_circuitmaintenance (1 row)');
      expect(res.out).toContain('table circuit_maintenance_rawnotification (1 row)');
      expect(res.out).toContain('migration history plinth_migrations_circuit_maintenance');
      expect(res.out).toContain('Uninstalled "circuit_maintenance".');

      const ctx = await buildContext(loadConfig({ ...env, PLINTH_PLUGINS: '' }, ROOT));
      try {
        const q = (text: string) => ctx.database.dataSource.query(text) as Promise<Record<string, unknown>[]>;
        expect(
          await q(
            `SELECT tablename FROM pg_tables WHERE tablename LIKE 'circuit_maintenance%' OR tablename = 'plinth_migrations_circuit_maintenance'`,
          ),
        ).toEqual([]);
        expect(
          await q(
            `SELECT count(*)::int AS n FROM core_objectchange WHERE changed_object_type LIKE 'circuit_maintenance.%'`,
          ),
        ).toEqual([{ n: 0 }]);
      } finally {
        await ctx.database.close();
      }

      // Core works without it.
      const without = await start(env);
      try {
        const circuits = await request(without.url)
          .get('/api/circuits/circuits/')
          .set('Authorization', `Token ${TOKEN}`);
        expect(circuits.status).toBe(200);
        const home = await request(without.url)
          .get('/api/plugins/installed-plugins/')
          .set('Authorization', `Token ${TOKEN}`);
        expect(home.body).toEqual([]);
      } finally {
        expect(await without.stop()).toBe(0);
      }
    } finally {
      await dispose();
    }
  });
});
