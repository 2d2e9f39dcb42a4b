import type { AnyRecord, Rec } from '@plinth/plugin-sdk';
import type { Random } from './random';

type Create = (label: string, rows: Rec[]) => Promise<AnyRecord[]>;

/** Versions per platform, newest first: the current one, the previous one, a pre-release. */
const VERSIONS: Readonly<Record<string, readonly { version: string; released: string; eos: string }[]>> = {
  junos: [
    { version: '23.4R2-S2', released: '2024-06-12', eos: '2027-06-30' },
    { version: '22.4R3', released: '2023-03-20', eos: '2025-12-31' },
    { version: '24.2R1', released: '2024-07-30', eos: '2028-01-31' },
  ],
  eos: [
    { version: '4.32.2F', released: '2024-08-05', eos: '2027-08-05' },
    { version: '4.30.6M', released: '2023-11-10', eos: '2026-05-10' },
    { version: '4.33.0F', released: '2024-10-21', eos: '2028-04-21' },
  ],
  'ios-xe': [
    { version: '17.9.5', released: '2024-03-15', eos: '2027-10-31' },
    { version: '17.6.6a', released: '2023-09-01', eos: '2025-10-31' },
    { version: '17.15.1', released: '2024-08-01', eos: '2028-08-01' },
  ],
  opengear: [{ version: '24.07.0', released: '2024-07-15', eos: '2026-07-15' }],
};

/** Image file names as vendors name them. */
function imageName(platform: string, version: string): string {
  switch (platform) {
    case 'junos':
      return `junos-install-mx-x86-64-${version}.tgz`;
    case 'eos':
      return `EOS-${version}.swi`;
    case 'ios-xe':
      return `cat9k_iosxe.${version}.SPA.bin`;
    default:
      return `${platform}-${version}.img`;
  }
}

/** The software versions of each platform (by name), current first: plain data. */
export interface DemoSoftware {
  versions: Record<string, string[]>;
}

/**
 * A version for a device on the platform: mostly the current one, some the previous one (drawn
 * from `rnd`, a batch's own).
 */
export function versionFor(software: DemoSoftware, platform: string, rnd: Random): string | null {
  const list = software.versions[platform];
  if (!list?.length) return null;
  return list.length > 1 && rnd.chance(0.2) ? list[1] : list[0];
}

/**
 * Software versions of the demo platforms (current: long-term support; previous: deprecated;
 * newest: a pre-release), one image file per version for the device types of the platform.
 * `rnd` is a stream of its own, so the rest of the demo data stays what it was for a seed.
 */
export async function createSoftware(
  create: Create,
  rnd: Random,
  platforms: ReadonlyMap<string, Rec>,
  deviceTypesOf: (platform: string) => string[],
): Promise<DemoSoftware> {
  const rows: Rec[] = [];
  for (const [platform, versions] of Object.entries(VERSIONS)) {
    const p = platforms.get(platform);
    if (!p) continue;
    versions.forEach((v, i) =>
      rows.push({
        platform: p.id,
        version: v.version,
        release_date: v.released,
        end_of_support_date: v.eos,
        long_term_support: i === 0,
        pre_release: i === 2,
        status: i === 1 ? 'Deprecated' : 'Active',
      }),
    );
  }
  const versions = await create('dcim.softwareversion', rows);
  const platformName = new Map([...platforms.values()].map((p) => [String(p.id), String(p.name)]));
  await create(
    'dcim.softwareimagefile',
    versions.map((v) => {
      const platform = platformName.get(String(v.platform))!;
      const name = imageName(platform, String(v.version));
      return {
        software_version: v.id,
        image_file_name: name,
        image_file_checksum: Array.from({ length: 64 }, () => rnd.int(0, 15).toString(16)).join(''),
        hashing_algorithm: 'sha256',
        image_file_size: rnd.int(300, 2000) * 1024 * 1024,
        download_url: `https://software.example.com/${platform}/${name}`,
        default_image: true,
        device_types: deviceTypesOf(platform),
        status: v.status,
      };
    }),
  );
  const versionsOf: Record<string, string[]> = {};
  for (const v of versions) (versionsOf[platformName.get(String(v.platform))!] ??= []).push(String(v.id));
  return { versions: versionsOf };
}
