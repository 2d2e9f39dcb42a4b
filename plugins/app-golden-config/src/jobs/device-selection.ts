import {
  CoreModels,
  asUser,
  type ApiObject,
  type FilterParams,
  type JobContext,
  type JobVariable,
  type ReadActor,
  type ReadService,
} from '@plinth/plugin-sdk';

/** The variables both jobs take: devices, or a platform, or neither (every device with a setting). */
export const DEVICE_SELECTION: Readonly<Record<string, JobVariable>> = {
  devices: {
    type: 'multiobject',
    model: 'dcim.device',
    required: false,
    description: 'The devices to process (all devices of platforms with a golden config setting when empty).',
  },
  platform: {
    type: 'object',
    model: 'dcim.platform',
    required: false,
    description: 'Only the devices of this platform.',
  },
};

/** Reads as the user who runs the job (the system for runs without a user: schedules). */
export function jobActor(ctx: JobContext): ReadActor {
  return ctx.user ? asUser(ctx.user) : { user: null, system: true };
}

/**
 * The selected devices as the REST API shows them at depth 1, as far as the job's user may see
 * them: the chosen devices, else the devices of the chosen platform, else those of `platforms`.
 */
export async function selectedDevices(
  reads: ReadService,
  ctx: JobContext,
  data: Record<string, unknown>,
  platforms: readonly string[],
  include: readonly string[] = [],
): Promise<ApiObject[]> {
  const ids = Array.isArray(data.devices) ? data.devices.map(String) : [];
  const platform = typeof data.platform === 'string' && data.platform ? [data.platform] : [...platforms];
  const filters: FilterParams = ids.length ? { id: ids } : { platform };
  if (!ids.length && !platform.length) return [];
  const out: ApiObject[] = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await reads.list(
      jobActor(ctx),
      CoreModels.device,
      filters,
      { limit: 1000, offset, count: false, sort: ['name'] },
      { depth: 1, include },
    );
    out.push(...page.results);
    if (page.results.length < 1000) return out;
  }
}

/** A job log line's link to a device. */
export function deviceLink(device: ApiObject): { id: string; object_type: string; display: string } {
  return { id: String(device.id), object_type: 'dcim.device', display: String(device.display) };
}

/** The id of a nested (depth 1) or flat reference. */
export function refId(value: unknown): string | null {
  if (value && typeof value === 'object' && 'id' in value) return String((value as { id: unknown }).id);
  return typeof value === 'string' ? value : null;
}
