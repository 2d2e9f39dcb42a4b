import type { AnyRecord, Rec } from '@plinth/plugin-sdk';
import type { Random } from './random';

/** Parts per manufacturer: power supplies, fans and optics (real part numbers, for familiar data). */
const PARTS: Readonly<Record<string, { psu: string; fan: string; optic: string }>> = {
  Juniper: { psu: 'JPSU-650W-AC-AFO', fan: 'JNP-FAN-1RU', optic: 'QSFP-100GBASE-SR4' },
  Arista: { psu: 'PWR-500AC-F', fan: 'FAN-7000-F', optic: 'QSFP-100G-SR4' },
  Cisco: { psu: 'PWR-C1-715WAC-P', fan: 'FAN-T1', optic: 'SFP-10G-SR' },
};

/** Device kinds that get inventory, and whether they carry a line card with optics. */
const WITH_INVENTORY: Readonly<Record<string, { optics: boolean }>> = {
  router: { optics: true },
  spine: { optics: true },
  leaf: { optics: false },
};

export interface InventoryDevice {
  device: AnyRecord;
  kind: string;
  manufacturer: { id: unknown; name: string };
}

/**
 * Inventory items of the network devices of a batch: two power supplies, a fan tray with two
 * fans, and (routers, spines) a line card holding two optics. Written in two passes (top-level
 * items, then their children). `seq` numbers asset tags across batches.
 */
export async function generateInventory(
  devices: readonly InventoryDevice[],
  rnd: Random,
  seq: { next: number },
  create: (label: string, rows: Rec[]) => Promise<AnyRecord[]>,
): Promise<void> {
  const serial = (): string => `INV${String(rnd.int(1e8, 1e9 - 1))}`;
  const roots: Rec[] = [];
  const childrenOf: Rec[][] = [];
  for (const { device, kind, manufacturer } of devices) {
    const spec = WITH_INVENTORY[kind];
    const parts = PARTS[manufacturer.name];
    if (!spec || !parts) continue;
    const item = (name: string, part_id: string, children: Rec[] = []): void => {
      roots.push({
        device: device.id,
        name,
        manufacturer: manufacturer.id,
        part_id,
        serial: serial(),
        asset_tag: rnd.chance(0.5) ? `AT-${String(seq.next++).padStart(7, '0')}` : null,
        discovered: rnd.chance(0.4),
      });
      childrenOf.push(
        children.map((c) => ({ device: device.id, manufacturer: manufacturer.id, serial: serial(), ...c })),
      );
    };
    item('PSU 1', parts.psu);
    item('PSU 2', parts.psu);
    item('Fan tray', parts.fan, [
      { name: 'Fan 1', part_id: parts.fan },
      { name: 'Fan 2', part_id: parts.fan },
    ]);
    if (spec.optics)
      item('Line card 1', '', [
        { name: 'Optic 1', part_id: parts.optic, discovered: true },
        { name: 'Optic 2', part_id: parts.optic, discovered: true },
      ]);
  }
  const created = await create('dcim.inventoryitem', roots);
  await create(
    'dcim.inventoryitem',
    created.flatMap((parent, i) => childrenOf[i].map((c) => ({ ...c, parent: parent.id }))),
  );
}
