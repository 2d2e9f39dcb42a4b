import * as path from 'node:path';
import { OBJECTS, type CliCommand, type ObjectsService } from '@plinth/plugin-sdk';
import {
  formatSummary,
  importDeviceTypes,
  readDeviceTypeSources,
  type FileResult,
} from './import-device-types';

const BAR = 30;

/** `[#####.....] 12/24 Cisco/C9200-24T.yaml`, redrawn in place. */
function progressLine(done: number, total: number, file: FileResult, root: string): string {
  const filled = Math.round((done / Math.max(total, 1)) * BAR);
  const name = path.relative(root, file.path) || path.basename(file.path);
  const line = `[${'#'.repeat(filled)}${'.'.repeat(BAR - filled)}] ${done}/${total} ${name}`;
  const width = process.stdout.columns || 100;
  return line.length > width - 1 ? `${line.slice(0, width - 2)}…` : line;
}

/**
 * `plinth import-devicetypes <dir-or-file>`: a thin wrapper around importDeviceTypes. A progress
 * bar on a terminal, the summary at the end; exits non-zero when a file could not be imported.
 */
export const importDeviceTypesCommand: CliCommand = {
  name: 'import-devicetypes',
  description:
    'import device types from devicetype-library YAML files (a directory, searched recursively, or one file)',
  arguments: '<path>',
  async run(ctx, args) {
    const target = path.resolve(args[0]);
    const sources = readDeviceTypeSources(target);
    const root = sources.length === 1 && sources[0].path === target ? path.dirname(target) : target;
    const objects = ctx.get<ObjectsService>(OBJECTS);
    let drawn = false;
    const summary = await importDeviceTypes(objects, sources, {
      user: null,
      source: 'cli',
      onProgress(done, total, file) {
        if (!ctx.interactive) return;
        process.stdout.write(`\r\x1b[2K${progressLine(done, total, file, root)}`);
        drawn = true;
      },
    });
    if (drawn) process.stdout.write('\n');
    for (const line of formatSummary(summary)) ctx.log(line);
    if (sources.length === 0) throw new Error(`no .yaml or .yml files under ${target}`);
    if (summary.failed > 0)
      throw new Error(`${summary.failed} of ${summary.files.length} file(s) could not be imported`);
  },
};
