import type { CliCommand } from '@plinth/plugin-sdk';
import { HealthRunner } from './runner';

/**
 * `plinth healthcheck` (django-health-check's `manage.py health_check`, Nautobot's
 * `nautobot-server health_check`): runs the checks once and prints the detail; exits 1 naming
 * the failing checks, for container health checks and cron jobs.
 */
export const healthcheckCommand: CliCommand = {
  name: 'healthcheck',
  description: '[healthcheck app] run the health checks; exit status 1 when one fails',
  options: [{ flags: '--json', description: 'print the detail as JSON' }],
  async run(ctx, _args, options) {
    const report = await ctx.get(HealthRunner).run();
    if (options.json) {
      ctx.log(JSON.stringify(report, null, 2));
    } else {
      const width = Math.max(...report.checks.map((c) => c.name.length));
      for (const c of report.checks)
        ctx.log(`${c.name.padEnd(width)}  ${c.status.padEnd(7)}  ${c.message} (${c.duration_ms} ms)`);
    }
    const failing = report.checks.filter((c) => c.status === 'failing').map((c) => c.name);
    if (failing.length)
      throw new Error(
        `unhealthy: failing ${failing.length === 1 ? 'check' : 'checks'} ${failing.join(', ')}`,
      );
  },
};
