import { promises as fs } from 'node:fs';
import { Injectable } from '@nestjs/common';
import {
  CoreModels,
  InjectReads,
  InjectTemplateRenderer,
  SYSTEM_ACTOR,
  type ApiObject,
  type DatasourceContent,
  type DatasourceContext,
  type GitRepositoryInfo,
  type ReadService,
  type TemplateRenderer,
} from '@plinth/plugin-sdk';
import { saveGoldenConfig } from '../golden-configs';
import { goldenConfigModel, goldenConfigSettingModel } from '../models';
import { insideCheckout, renderDevicePaths } from '../paths';

/** Larger backups are skipped. */
const MAX_BACKUP_BYTES = 5_000_000;

/** Every device of a platform as the REST API shows it at depth 1 (the path patterns' `obj`). */
export async function platformDevices(reads: ReadService, platform: string): Promise<ApiObject[]> {
  const out: ApiObject[] = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await reads.list(
      SYSTEM_ACTOR,
      CoreModels.device,
      { platform },
      { limit: 1000, offset, count: false },
      { depth: 1 },
    );
    out.push(...page.results);
    if (page.results.length < 1000) return out;
  }
}

/**
 * "golden config backup configs": backups pushed into the repository by external tools, one file
 * per device. For each golden config setting using this repository (or any backup repository),
 * each device of its platform gets the file its backup path pattern names as `backup_config`.
 * Devices without a file keep their last backup. When the repository goes or stops providing
 * backups, the backups of the settings naming it are cleared.
 */
@Injectable()
export class BackupConfigsContent implements DatasourceContent {
  readonly name = 'golden_config.backup_configs';
  readonly label = 'golden config backup configs';
  readonly content_types = ['golden_config.goldenconfig'];

  constructor(
    @InjectTemplateRenderer() private readonly renderer: TemplateRenderer,
    @InjectReads() private readonly reads: ReadService,
  ) {}

  async callback(
    repository: GitRepositoryInfo,
    checkout: string | null,
    ctx: DatasourceContext,
  ): Promise<void> {
    const settings = (await ctx.objects.find(goldenConfigSettingModel)).filter(
      (s) => s.backup_repository === repository.id || (checkout !== null && s.backup_repository === null),
    );
    let loaded = 0;
    let absent = 0;
    for (const setting of settings) {
      if (!checkout) {
        // Called inside the repository's write transaction: read through it.
        const devices = await ctx.objects.find(CoreModels.device, { platform: String(setting.platform) });
        const golden = devices.length
          ? await ctx.objects.find(goldenConfigModel, { device: devices.map((d) => d.id) })
          : [];
        const cleared = golden.filter((g) => g.backup_config || g.backup_last_success_date);
        if (cleared.length)
          await ctx.objects.update(
            goldenConfigModel,
            cleared.map((g) => ({ id: g.id, backup_config: '', backup_last_success_date: null })),
          );
        ctx.log(`Setting ${setting.name}: backups of ${cleared.length} devices cleared.`);
        continue;
      }
      const devices = await platformDevices(this.reads, String(setting.platform));
      const paths = await renderDevicePaths(this.renderer, setting.backup_path_template, devices);
      for (const [i, device] of devices.entries()) {
        const p = paths[i];
        if (!p.ok) {
          ctx.log(`Device ${String(device.display)}: ${p.error}`);
          continue;
        }
        const file = insideCheckout(checkout, p.path);
        const stat = await fs.stat(file).catch(() => null);
        if (!stat?.isFile()) {
          absent++;
          continue;
        }
        if (stat.size > MAX_BACKUP_BYTES) {
          ctx.log(`Device ${String(device.display)}: ${p.path} is larger than 5 MB, skipped.`);
          continue;
        }
        await saveGoldenConfig(ctx.objects, String(device.id), {
          backup_config: await fs.readFile(file, 'utf8'),
          backup_last_success_date: new Date(),
        });
        loaded++;
      }
    }
    if (checkout)
      ctx.log(`Golden config backups: ${loaded} loaded, ${absent} devices without a backup file.`);
  }
}
