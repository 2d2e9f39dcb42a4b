import type { AnyRecord, ObjectsApi, Rec } from '@plinth/plugin-sdk';

/** Writes a batch of one model and counts it (the generator's `create`). */
type Create = (label: string, rows: Rec[]) => Promise<AnyRecord[]>;

/** The user rack reservations are held by: the first superuser, or a planner created for them. */
export async function reservationUser(objects: ObjectsApi, create: Create): Promise<string> {
  const [admin] = await objects.find('users.user', { is_superuser: 'true' }, { limit: 1 });
  if (admin) return String(admin.id);
  const [planner] = await create('users.user', [{ username: 'capacity-planner', is_active: true }]);
  return String(planner.id);
}

/**
 * Power for a batch of sites, as a data centre is fed: one power panel per site; per rack a
 * primary and a redundant feed (230 V, 32 A, three-phase for every fourth rack), cabled to the
 * first two power supplies of the rack's lowest device; the top units of each site's last rack
 * reserved for growth.
 */
export async function generatePower(
  objects: ObjectsApi,
  create: Create,
  sites: readonly AnyRecord[],
  racks: readonly AnyRecord[],
  devices: readonly AnyRecord[],
  user: string,
): Promise<void> {
  const panels = await create(
    'dcim.powerpanel',
    sites.map((s) => ({ name: `${String(s.name)}-PP1`, location: s.id })),
  );
  const panelOf = new Map(panels.map((p) => [String(p.location), String(p.id)]));
  const feeds = await create(
    'dcim.powerfeed',
    racks.flatMap((r, i) =>
      (['A', 'B'] as const).map((side) => ({
        power_panel: panelOf.get(String(r.location)),
        rack: r.id,
        name: `${String(r.name)}-${side}`,
        status: 'Active',
        type: side === 'A' ? 'primary' : 'redundant',
        supply: 'ac',
        phase: i % 4 === 3 ? 'three-phase' : 'single-phase',
        voltage: 230,
        amperage: 32,
        max_utilization: 80,
      })),
    ),
  );

  // The lowest device of each rack that has power supplies, and its supplies in name order.
  const psus = await objects.find(
    'dcim.powerport',
    { device: devices.map((d) => String(d.id)) },
    { limit: devices.length * 4 },
  );
  const psusOf = new Map<string, AnyRecord[]>();
  for (const p of psus) psusOf.set(String(p.device), [...(psusOf.get(String(p.device)) ?? []), p]);
  const lowest = new Map<string, AnyRecord>();
  for (const d of devices) {
    const rack = String(d.rack);
    const cur = lowest.get(rack);
    if (d.position === null || !psusOf.has(String(d.id))) continue;
    if (!cur || Number(d.position) < Number(cur.position)) lowest.set(rack, d);
  }
  const feedsOf = new Map<string, AnyRecord[]>();
  for (const f of feeds) feedsOf.set(String(f.rack), [...(feedsOf.get(String(f.rack)) ?? []), f]);
  const cables: Rec[] = [];
  for (const [rack, d] of lowest) {
    const ports = (psusOf.get(String(d.id)) ?? []).sort((a, b) =>
      String(a.name).localeCompare(String(b.name)),
    );
    (feedsOf.get(rack) ?? []).forEach((f, i) => {
      if (!ports[i]) return;
      cables.push({
        termination_a_type: 'dcim.powerfeed',
        termination_a_id: f.id,
        termination_b_type: 'dcim.powerport',
        termination_b_id: ports[i].id,
        type: 'power',
        status: 'Connected',
      });
    });
  }
  await create('dcim.cable', cables);

  const lastRack = new Map<string, AnyRecord>();
  for (const r of racks) lastRack.set(String(r.location), r);
  await create(
    'dcim.rackreservation',
    [...lastRack.values()].map((r, i) => ({
      rack: r.id,
      units: i % 2 ? [41, 42] : [39, 40, 41, 42],
      user,
      description: 'Reserved for expansion',
    })),
  );
}
