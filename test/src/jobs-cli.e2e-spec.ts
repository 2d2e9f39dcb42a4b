import { onDatabase, testDatabaseKind } from '@plinth/testing';
import { installation, plinth, start } from './cli-helpers';

/** `plinth runjob`: user jobs through the same checks as the API; system jobs as before. */
describe(onDatabase('plinth runjob'), () => {
  it('checks user jobs like the API, runs system jobs, and says when the embedded database is in use', async () => {
    const { env, dispose } = await installation();
    try {
      expect((await plinth(['migrate'], env)).code).toBe(0);
      const badJson = await plinth(['runjob', 'extras.delete_old_job_results', '--data', 'nope'], env);
      expect([badJson.code, badJson.err.trim()]).toEqual([1, 'plinth: --data must be a JSON object']);
      // New jobs are disabled until an administrator enables them (as over the API).
      const disabled = await plinth(
        ['runjob', 'extras.delete_old_job_results', '--data', '{"days": 30}'],
        env,
      );
      expect(disabled.code).toBe(1);
      expect(disabled.err).toContain('The job Delete old job results is not enabled');
      const system = await plinth(['runjob', 'core.housekeeping'], env);
      expect(system.code).toBe(0);
      expect(JSON.parse(system.out)).toMatchObject({ sessions: 0 });
      if (testDatabaseKind() === 'pglite') {
        const server = await start(env);
        try {
          const busy = await plinth(['runjob', 'core.housekeeping'], env);
          expect(busy.code).toBe(1);
          expect(busy.err).toMatch(/is in use by process \d+; stop it first/);
        } finally {
          await server.stop();
        }
      }
    } finally {
      await dispose();
    }
  });
});
