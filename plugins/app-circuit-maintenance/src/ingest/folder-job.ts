import { realpath, readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve, sep, isAbsolute } from 'node:path';
import type { JobDefinition } from '@plinth/plugin-sdk';
import { rawNotificationModel } from '../models';
import { maintenanceSettings } from '../settings';
import { ingestNotification } from './ingest';

const EXTENSIONS = ['.eml', '.ics'];

/**
 * The folder to read: `folder` (relative to `notifications_folder`) or the setting itself. A
 * folder outside the configured one (`..`, an absolute path, a symbolic link out) is refused.
 */
export async function resolveFolder(root: string | undefined, folder: string | undefined): Promise<string> {
  if (!root) throw new Error('No notifications_folder is configured in the circuit_maintenance settings.');
  const base = await realpath(resolve(root));
  if (folder && isAbsolute(folder)) throw new Error(`The folder must be relative to ${base}.`);
  const wanted = resolve(base, folder ?? '.');
  const real = await realpath(wanted).catch(() => {
    throw new Error(`No such folder: ${relative(base, wanted) || '.'}.`);
  });
  if (real !== base && !real.startsWith(base + sep))
    throw new Error(`The folder "${folder ?? ''}" is outside the notifications folder.`);
  if (!(await stat(real)).isDirectory()) throw new Error(`Not a folder: ${folder ?? ''}.`);
  return real;
}

/**
 * Ingest every `.eml`/`.ics` file of a folder (the setting `notifications_folder`, or a folder
 * inside it). A file already ingested with the same content is skipped, so the job can run on
 * a schedule over a mail drop.
 */
export const ingestFolderJob: JobDefinition = {
  name: 'circuit_maintenance.ingest_folder',
  label: 'Ingest notification folder',
  grouping: 'Circuit Maintenance',
  description: 'Parse every .eml and .ics file of the notifications folder into maintenances.',
  variables: {
    folder: {
      type: 'string',
      required: false,
      max_length: 200,
      description: 'A folder inside the configured notifications folder (default: the folder itself).',
    },
  },
  async run(ctx, data) {
    const settings = ctx.settings(maintenanceSettings);
    const folder = await resolveFolder(
      settings.notifications_folder,
      data.folder ? String(data.folder) : undefined,
    );
    const names = (await readdir(folder)).sort();
    const summary = { ingested: 0, parsed: 0, unparsed: 0, skipped: 0 };
    for (const name of names) {
      if (ctx.signal.aborted) {
        ctx.log_warning(`Stopped before ${name}.`);
        break;
      }
      const path = join(folder, name);
      if (!EXTENSIONS.some((e) => name.toLowerCase().endsWith(e)) || !(await stat(path)).isFile()) continue;
      const raw = await readFile(path, 'utf8');
      const seen = await ctx.objects.find(rawNotificationModel, { source: name });
      // The write path stores text trimmed.
      if (seen.some((r) => r.raw === raw.trim())) {
        summary.skipped++;
        ctx.log_info(`${name}: already ingested, skipped.`);
        continue;
      }
      const result = await ingestNotification(ctx.objects, settings, { raw, filename: name });
      summary.ingested++;
      const link = {
        id: result.raw_notification,
        object_type: 'circuit_maintenance.rawnotification',
        display: name,
      };
      if (result.parsed) {
        summary.parsed++;
        const what = result.maintenances.map((m) => `${m.name} ${m.action}`).join(', ');
        ctx.log_success(`${name}: ${what}.`, { object: link });
        for (const m of result.maintenances)
          if (m.unknown_circuits.length)
            ctx.log_warning(
              `${name}: ${m.name}: no circuit ${m.unknown_circuits.join(', ')} for this provider.`,
            );
      } else {
        summary.unparsed++;
        ctx.log_warning(`${name}: not parsed: ${result.reason}`, { object: link });
      }
    }
    return summary;
  },
};
