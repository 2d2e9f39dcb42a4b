import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  MODELS,
  READS,
  OBJECTS,
  SQL,
  type CliCommand,
  type ModelLookup,
  type ObjectsService,
  type ReadService,
  type SqlRunner,
} from '@plinth/plugin-sdk';
import { importNetbox } from './importer';
import { SITE_GROUP_MODES, type SiteGroupMode } from './mapping';
import { MAPPINGS, SKIPPED } from './mappings';
import { formatReport } from './report';
import { readDumpdata } from './source/dumpdata';
import { readPgDump } from './source/pg-dump';
import { readPostgres } from './source/postgres';
import type { NetboxData } from './source/types';

const BAR = 30;

async function readSource(source: string): Promise<NetboxData> {
  if (/^postgres(ql)?:\/\//.test(source)) return readPostgres(source);
  if (!fs.existsSync(source))
    throw new Error(
      `${source}: no such file (give a dumpdata JSON file, a pg_dump SQL file or a postgresql:// URL)`,
    );
  const file = path.resolve(source);
  // A plain pg_dump starts with its banner; dumpdata is JSON.
  const fd = fs.openSync(file, 'r');
  const buffer = Buffer.alloc(200);
  const head = buffer.subarray(0, fs.readSync(fd, buffer, 0, 200, 0)).toString('utf8');
  fs.closeSync(fd);
  return head.includes('PostgreSQL database dump') ? readPgDump(file) : readDumpdata(file);
}

/**
 * `plinth import netbox <source>`: a NetBox `dumpdata` JSON file (NetBox 3.x) or the PostgreSQL
 * URL of a NetBox 4.x database (read only). A progress bar on a terminal, the report at the end;
 * exits non-zero when anything failed.
 */
export const importCommand: CliCommand = {
  name: 'import',
  description: 'import another source of truth: `import netbox <dumpdata.json | postgresql://…>`',
  arguments: '<kind> <source>',
  options: [
    { flags: '--dry-run', description: 'report what would be imported; keep nothing' },
    { flags: '--report <file>', description: 'write the whole report (every failure) as JSON' },
    { flags: '--source-name <name>', description: 'names the NetBox instance (default: netbox)' },
    {
      flags: '--site-groups <mode>',
      description: `what site groups become: ${SITE_GROUP_MODES.join(' | ')} (default: drop; see the README)`,
    },
  ],
  async run(ctx, args, options) {
    const [kind, source] = args;
    if (kind !== 'netbox') throw new Error(`cannot import "${kind}": the only kind is netbox`);
    if (!source) throw new Error('give the NetBox source: a dumpdata JSON file or a postgresql:// URL');
    const siteGroups = options.siteGroups ?? 'drop';
    if (!SITE_GROUP_MODES.includes(siteGroups as SiteGroupMode))
      throw new Error(
        `--site-groups must be one of ${SITE_GROUP_MODES.join(', ')}, not "${String(siteGroups)}"`,
      );
    const data = await readSource(source);
    let drawn = false;
    const report = await importNetbox(
      ctx.get<ObjectsService>(OBJECTS),
      ctx.get<SqlRunner>(SQL),
      data,
      MAPPINGS,
      SKIPPED,
      {
        sourceName: typeof options.sourceName === 'string' ? options.sourceName : 'netbox',
        dryRun: options.dryRun === true,
        siteGroups: siteGroups as SiteGroupMode,
        models: ctx
          .get<ModelLookup>(MODELS)
          .all()
          .map((m) => m.label),
        reads: ctx.get<ReadService>(READS),
        onProgress(step, done, total) {
          if (!ctx.interactive) return;
          const filled = Math.round((done / Math.max(total, 1)) * BAR);
          process.stdout.write(
            `\r\x1b[2K[${'#'.repeat(filled)}${'.'.repeat(BAR - filled)}] ${done}/${total} ${step}`,
          );
          drawn = true;
        },
      },
    );
    if (drawn) process.stdout.write('\r\x1b[2K');
    for (const l of formatReport(report)) ctx.log(l);
    if (typeof options.report === 'string') {
      fs.writeFileSync(options.report, `${JSON.stringify(report, null, 2)}\n`);
      ctx.log(`report written to ${options.report}`);
    }
    if (report.failed > 0) throw new Error(`${report.failed} object(s) could not be imported`);
  },
};
