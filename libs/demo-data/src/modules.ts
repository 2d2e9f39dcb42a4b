import type { AnyRecord, ObjectsApi, Rec } from '@plinth/plugin-sdk';
import type { Random } from './random';

/*
 * Modules of the demo network: the edge routers' power supplies and fan trays are field-replaceable
 * modules in module bays of the router's device type; each site keeps a spare power supply on the
 * shelf (a module at the site, in no bay).
 */

type Create = (label: string, rows: Rec[]) => Promise<AnyRecord[]>;

export interface ModuleCatalog {
  psu: AnyRecord;
  fan: AnyRecord;
}

/** Module types, and the module bays of the router device type (before any router is created). */
export async function createModuleCatalog(
  create: Create,
  manufacturer: unknown,
  routerType: unknown,
): Promise<ModuleCatalog> {
  const [psu, fan] = await create('dcim.moduletype', [
    {
      manufacturer,
      model: 'JPSU-650W-AC-AFO',
      part_number: 'JPSU-650W-AC-AFO',
      comments: '650 W AC power supply',
    },
    { manufacturer, model: 'JNP-FAN-1RU', part_number: 'JNP-FAN-1RU', comments: 'Fan module' },
  ]);
  await create('dcim.powerporttemplate', [
    { module_type: psu.id, name: 'PEM {module} inlet', type: 'iec-60320-c14', maximum_draw: 650 },
  ]);
  await create('dcim.modulebaytemplate', [
    ...[0, 1].map((n) => ({
      device_type: routerType,
      name: `PEM ${n}`,
      position: String(n),
      label: `PEM${n}`,
    })),
    ...[0, 1, 2].map((n) => ({ device_type: routerType, name: `Fan Tray ${n}`, position: String(n) })),
  ]);
  return { psu, fan };
}

/** Each router's bays filled (a few planned power supplies still missing); one spare PSU per site. */
export async function installSiteModules(
  objects: ObjectsApi,
  create: Create,
  catalog: ModuleCatalog,
  routers: readonly AnyRecord[],
  sites: readonly AnyRecord[],
  rnd: Random,
): Promise<void> {
  if (routers.length === 0) return;
  const bays = await objects.find('dcim.modulebay', { parent_device: routers.map((r) => String(r.id)) });
  const rows: Rec[] = [];
  for (const bay of bays) {
    const isPsu = String(bay.name).startsWith('PEM');
    // One router in ten waits for its second power supply.
    if (isPsu && bay.name === 'PEM 1' && rnd.chance(0.1)) continue;
    rows.push({
      module_type: (isPsu ? catalog.psu : catalog.fan).id,
      parent_module_bay: bay.id,
      status: 'Active',
      serial: `${isPsu ? 'PS' : 'FT'}${String(rnd.int(1e7, 1e8 - 1))}`,
    });
  }
  for (const site of sites)
    rows.push({
      module_type: catalog.psu.id,
      location: site.id,
      status: 'Planned',
      serial: `PS${String(rnd.int(1e7, 1e8 - 1))}`,
      comments: 'Spare on the shelf',
    });
  await create('dcim.module', rows);
}
