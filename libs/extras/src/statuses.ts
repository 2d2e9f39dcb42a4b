import { Inject, Injectable } from '@nestjs/common';
import { MODELS, type InstallHook, type ModelLookup, type TransactionContext } from '@plinth/plugin-sdk';

/** Nautobot's default statuses, with the object types each applies to. */
export const DEFAULT_STATUSES: {
  name: string;
  color: string;
  description: string;
  content_types: string[];
}[] = [
  {
    name: 'Active',
    color: '4caf50',
    description: 'Unit is active',
    content_types: [
      'circuits.circuit',
      'dcim.device',
      'dcim.interface',
      'dcim.location',
      'dcim.module',
      'dcim.powerfeed',
      'dcim.rack',
      'dcim.softwareimagefile',
      'dcim.softwareversion',
      'ipam.ipaddress',
      'ipam.prefix',
      'ipam.vlan',
      'ipam.vrf',
      'extras.contactassociation',
      'dcim.deviceredundancygroup',
      'dcim.interfaceredundancygroup',
      'virtualization.virtualmachine',
      'virtualization.vminterface',
    ],
  },
  { name: 'Available', color: '009688', description: 'Unit is available', content_types: ['dcim.rack'] },
  { name: 'Connected', color: '4caf50', description: 'Cable is connected', content_types: ['dcim.cable'] },
  {
    name: 'Decommissioned',
    color: '9e9e9e',
    description: 'Circuit has been decommissioned',
    content_types: ['circuits.circuit'],
  },
  {
    name: 'Decommissioning',
    color: 'ffc107',
    description: 'Unit is being decommissioned',
    content_types: [
      'dcim.cable',
      'dcim.device',
      'dcim.interface',
      'dcim.location',
      'dcim.module',
      'virtualization.virtualmachine',
      'virtualization.vminterface',
    ],
  },
  {
    name: 'Deprecated',
    color: 'f44336',
    description: 'Unit has been deprecated',
    content_types: [
      'dcim.rack',
      'dcim.softwareimagefile',
      'dcim.softwareversion',
      'ipam.ipaddress',
      'ipam.prefix',
      'ipam.vlan',
    ],
  },
  {
    name: 'Deprovisioning',
    color: 'ffc107',
    description: 'Circuit is being deprovisioned',
    content_types: ['circuits.circuit'],
  },
  {
    name: 'DHCP',
    color: '4caf50',
    description: 'Dynamically assigned IPv4/IPv6 address',
    content_types: ['ipam.ipaddress'],
  },
  {
    name: 'End-of-Support',
    color: 'ff9800',
    description: 'Software is past its end of support',
    content_types: ['dcim.softwareimagefile', 'dcim.softwareversion'],
  },
  {
    name: 'Extended Support',
    color: '00bcd4',
    description: 'Software is in extended support',
    content_types: ['dcim.softwareimagefile', 'dcim.softwareversion'],
  },
  {
    name: 'Failed',
    color: 'f44336',
    description: 'Unit has failed',
    content_types: [
      'dcim.device',
      'dcim.interface',
      'dcim.module',
      'dcim.powerfeed',
      'virtualization.virtualmachine',
      'virtualization.vminterface',
    ],
  },
  {
    name: 'Inventory',
    color: '9e9e9e',
    description: 'Device is in inventory',
    content_types: ['dcim.device'],
  },
  {
    name: 'Maintenance',
    color: '9e9e9e',
    description: 'Unit is under maintenance',
    content_types: ['dcim.interface', 'dcim.module', 'virtualization.vminterface'],
  },
  {
    name: 'Offline',
    color: 'ffc107',
    description: 'Unit is offline',
    content_types: [
      'circuits.circuit',
      'dcim.device',
      'dcim.module',
      'dcim.powerfeed',
      'virtualization.virtualmachine',
    ],
  },
  {
    name: 'Planned',
    color: '00bcd4',
    description: 'Unit has been planned',
    content_types: [
      'circuits.circuit',
      'dcim.cable',
      'dcim.device',
      'dcim.interface',
      'dcim.location',
      'dcim.module',
      'dcim.powerfeed',
      'dcim.rack',
      'dcim.deviceredundancygroup',
      'dcim.interfaceredundancygroup',
      'virtualization.virtualmachine',
      'virtualization.vminterface',
    ],
  },
  {
    name: 'Provisioning',
    color: '2196f3',
    description: 'Circuit is being provisioned',
    content_types: ['circuits.circuit'],
  },
  {
    name: 'Reserved',
    color: '00bcd4',
    description: 'Unit is reserved',
    content_types: ['dcim.rack', 'ipam.ipaddress', 'ipam.prefix', 'ipam.vlan'],
  },
  {
    name: 'Retired',
    color: 'f44336',
    description: 'Location has been retired',
    content_types: ['dcim.location'],
  },
  {
    name: 'SLAAC',
    color: '4caf50',
    description: 'Dynamically assigned IPv6 address',
    content_types: ['ipam.ipaddress'],
  },
  {
    name: 'Staged',
    color: '2196f3',
    description: 'Device has been staged',
    content_types: ['dcim.device', 'virtualization.virtualmachine'],
  },
  {
    name: 'Staging',
    color: '2196f3',
    description: 'Location is in the process of being staged',
    content_types: ['dcim.location'],
  },
];

/**
 * Seeds the default statuses and, on every migrate, adds to them the object types that exist
 * now (so statuses pick up models of domains installed later). Never removes anything.
 */
@Injectable()
export class DefaultStatusesInstaller implements InstallHook {
  readonly name = 'extras.default-statuses';

  constructor(@Inject(MODELS) private readonly models: ModelLookup) {}

  async run(tx: TransactionContext): Promise<void> {
    // Only models that have statuses may be listed (a Status's content types).
    const known = new Set(
      this.models
        .all()
        .filter((m) => m.has('statuses'))
        .map((m) => m.label),
    );
    const existing = await tx.objects.find('extras.status', { name: DEFAULT_STATUSES.map((s) => s.name) });
    const byName = new Map(existing.map((s) => [String(s.name), s]));
    const create = [];
    const update = [];
    for (const s of DEFAULT_STATUSES) {
      const types = s.content_types.filter((t) => known.has(t));
      const current = byName.get(s.name);
      if (!current) {
        create.push({ ...s, content_types: types });
      } else {
        const have = (current.content_types as string[]) ?? [];
        const missing = types.filter((t) => !have.includes(t));
        if (missing.length) update.push({ id: current.id, content_types: [...have, ...missing] });
      }
    }
    if (create.length) await tx.objects.create('extras.status', create);
    if (update.length) await tx.objects.update('extras.status', update);
  }
}
