import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import {
  PLATFORM_HEALTH,
  type HealthCheck,
  type HealthCheckResult,
  type PlatformHealth,
} from '@plinth/plugin-sdk';
import { healthcheckSettings, type HealthcheckSettings } from '../settings';

const MIB = 1024 * 1024;

/** The folder, or its nearest existing parent (the checkouts folder appears with the first sync). */
async function existingFolder(dir: string): Promise<string> {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    try {
      await fs.access(d);
      return d;
    } catch {
      if (path.dirname(d) === d) throw new Error(`no part of ${dir} exists`);
    }
  }
}

/** Free space on the file system of the Git checkouts folder (PLINTH_GIT_ROOT), in MiB and percent. */
@Injectable()
export class DiskCheck implements HealthCheck {
  readonly name = 'disk';
  readonly label = 'Disk space (Git checkouts)';

  constructor(
    @Inject(PLATFORM_HEALTH) private readonly platform: PlatformHealth,
    @healthcheckSettings.inject() private readonly settings: HealthcheckSettings,
  ) {}

  async run(): Promise<HealthCheckResult> {
    const folder = this.platform.paths.git;
    const stats = await fs.statfs(await existingFolder(folder));
    const total = stats.blocks * stats.bsize;
    const free = stats.bavail * stats.bsize;
    const freeMb = Math.floor(free / MIB);
    const freePercent = total > 0 ? Math.round((free / total) * 1000) / 10 : 0;
    const { min_free_mb, min_free_percent } = this.settings.disk;
    const data = {
      path: folder,
      free_mb: freeMb,
      total_mb: Math.floor(total / MIB),
      free_percent: freePercent,
      min_free_mb,
      min_free_percent,
    };
    const low: string[] = [];
    if (freeMb < min_free_mb) low.push(`${freeMb} MiB free (at least ${min_free_mb} MiB needed)`);
    if (freePercent < min_free_percent)
      low.push(`${freePercent}% free (at least ${min_free_percent}% needed)`);
    if (low.length) return { status: 'failing', message: `${folder}: ${low.join('; ')}.`, data };
    return { status: 'ok', message: `${folder}: ${freeMb} MiB (${freePercent}%) free.`, data };
  }
}
