import type { AnyRecord, Rec } from '@plinth/plugin-sdk';

type Create = (label: string, rows: Rec[]) => Promise<AnyRecord[]>;

/** What every site's contacts refer to: the association roles and the network operations team. */
export interface SharedContacts {
  roles: Record<'admin' | 'onSite' | 'support', string>;
  noc: string;
}

/** Association roles and a NOC team of three engineers (created once). */
export async function createSharedContacts(create: Create): Promise<SharedContacts> {
  const [admin, onSite, support] = await create(
    'extras.role',
    [
      ['Administrative', '3f51b5'],
      ['On Site', 'ff9800'],
      ['Support', '009688'],
    ].map(([name, color]) => ({ name, color, content_types: ['extras.contactassociation'] })),
  );
  const engineers = await create(
    'extras.contact',
    ['Ana Silva', 'Kenji Watanabe', 'Priya Raman'].map((name, i) => ({
      name,
      phone: `+1-555-010${i}`,
      email: `${name.split(' ')[0].toLowerCase()}@noc.example.net`,
    })),
  );
  const [noc] = await create('extras.team', [
    {
      name: 'Network Operations',
      phone: '+1-555-0199',
      email: 'noc@example.net',
      address: '1 Operations Way',
      contacts: engineers.map((c) => c.id),
    },
  ]);
  return { roles: { admin: admin.id, onSite: onSite.id, support: support.id }, noc: noc.id };
}

/** Each region: the NOC as its administrative contact. */
export async function createRegionContacts(
  create: Create,
  shared: SharedContacts,
  regions: readonly AnyRecord[],
): Promise<void> {
  await create(
    'extras.contactassociation',
    regions.map((r) => ({
      team: shared.noc,
      associated_object_type: 'dcim.location',
      associated_object_id: r.id,
      role: shared.roles.admin,
      status: 'Active',
    })),
  );
}

/** Each site: a site manager on site, and the NOC for support. */
export async function createSiteContacts(
  create: Create,
  shared: SharedContacts,
  sites: readonly AnyRecord[],
): Promise<void> {
  const managers = await create(
    'extras.contact',
    sites.map((s, i) => ({
      name: `${String(s.name)} site manager`,
      phone: `+1-555-${String(2000 + i)}`,
      email: `${String(s.name).toLowerCase()}-manager@example.net`,
      address: String(s.facility ?? s.name),
    })),
  );
  await create(
    'extras.contactassociation',
    sites.flatMap((s, i) => [
      {
        contact: managers[i].id,
        associated_object_type: 'dcim.location',
        associated_object_id: s.id,
        role: shared.roles.onSite,
        status: 'Active',
      },
      {
        team: shared.noc,
        associated_object_type: 'dcim.location',
        associated_object_id: s.id,
        role: shared.roles.support,
        status: 'Active',
      },
    ]),
  );
}
