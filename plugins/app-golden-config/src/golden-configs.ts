import type { ObjectsApi } from '@plinth/plugin-sdk';
import { goldenConfigModel, type GoldenConfig } from './models';

type GoldenConfigChanges = Partial<
  Pick<
    GoldenConfig,
    | 'intended_config'
    | 'intended_last_attempt_date'
    | 'intended_last_success_date'
    | 'backup_config'
    | 'backup_last_success_date'
    | 'compliance_last_success_date'
  >
>;

/** Update a device's golden config record, creating it on first use. */
export async function saveGoldenConfig(
  objects: ObjectsApi,
  device: string,
  changes: GoldenConfigChanges,
): Promise<void> {
  const [existing] = await objects.find(goldenConfigModel, { device }, { limit: 1 });
  if (existing) await objects.update(goldenConfigModel, [{ id: existing.id, ...changes }]);
  else await objects.create(goldenConfigModel, [{ device, ...changes }]);
}
