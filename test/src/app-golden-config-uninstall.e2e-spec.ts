import { buildContext, loadConfig } from '@plinth/core';
import { onDatabase } from '@plinth/testing';
import { ROOT, installation, plinth } from './cli-helpers';

const GOLDEN_CONFIG = { PLINTH_PLUGINS: '@plinth/app-golden-config' };

/** `plinth plugins uninstall golden_config` drops the app's tables and migration history. */
describe(onDatabase('golden config app: plinth plugins uninstall'), () => {
  jest.setTimeout(300_000);

  it('drops its tables; Plinth migrates without it', async () => {
    const { env, dispose } = await installation();
    const tables = async () => {
      const ctx = await buildContext(loadConfig({ ...env, PLINTH_PLUGINS: '' }, ROOT));
      try {
        return (
          (await ctx.database.dataSource.query(
            `SELECT tablename FROM pg_tables WHERE tablename LIKE 'golden_config%' OR tablename = 'plinth_migrations_golden_config' ORDER BY tablename`,
          )) as { tablename: string }[]
        ).map((r) => r.tablename);
      } finally {
        await ctx.database.close();
      }
    };
    try {
      const migrated = await plinth(['migrate'], { ...env, ...GOLDEN_CONFIG });
      expect(migrated.code).toBe(0);
      expect(migrated.out).toMatch(/applied golden_config\/GoldenConfigInitial\d+/);
      expect(await tables()).toEqual([
        'golden_config_compliancefeature',
        'golden_config_compliancerule',
        'golden_config_configcompliance',
        'golden_config_configtemplate',
        'golden_config_goldenconfig',
        'golden_config_goldenconfigsetting',
        'plinth_migrations_golden_config',
      ]);
      const res = await plinth(['plugins', 'uninstall', 'golden_config', '--yes'], {
        ...env,
        ...GOLDEN_CONFIG,
      });
      expect(res.err).toBe('');
      expect(res.code).toBe(0);
      expect(res.out).toContain('table golden_config_configcompliance (0 rows)');
      expect(res.out).toContain('Uninstalled "golden_config".');
      expect(await tables()).toEqual([]);
      // Core keeps working without the app.
      expect((await plinth(['migrate', '--check'], env)).code).toBe(0);
    } finally {
      await dispose();
    }
  });
});
