import type { AnyRecord, Rec } from '@plinth/plugin-sdk';
import type { Random } from './random';

type Create = (label: string, rows: Rec[]) => Promise<AnyRecord[]>;

/** What every site's virtualization shares: cluster types, a cluster group, VM roles. */
export interface VirtualizationShared {
  vsphere: AnyRecord;
  kvm: AnyRecord;
  production: AnyRecord;
  roles: AnyRecord[];
}

/** Roles of virtual machines, with the share of VMs in each. */
const VM_ROLES = ['web', 'app', 'db', 'infra'];

export async function createVirtualizationShared(create: Create): Promise<VirtualizationShared> {
  const [vsphere, kvm] = await create('virtualization.clustertype', [
    { name: 'VMware vSphere', description: 'ESXi hosts managed by vCenter' },
    { name: 'KVM', description: 'Linux KVM / libvirt' },
  ]);
  const [production] = await create('virtualization.clustergroup', [{ name: 'Production' }]);
  const roles = await create(
    'extras.role',
    VM_ROLES.map((name, i) => ({
      name: `vm-${name}`,
      weight: 1000 + i * 100,
      content_types: ['virtualization.virtualmachine'],
    })),
  );
  return { vsphere, kvm, production, roles };
}

/** One site as its virtualization needs it. */
export interface VirtualizationSite {
  site: AnyRecord;
  /** The site's number in its 10.<n>.0.0/16 block. */
  n: number;
  /** The site's number among all sites (MAC addresses). */
  index: number;
  /** The site's servers VLAN and its 10.<n>.10.0/24 network. */
  serverVlan: AnyRecord;
}

/**
 * Per site: a cluster (vSphere, or KVM at every third site) in the Production group, and
 * `vmsPerSite` virtual machines on it, each with an `eth0` in the servers VLAN carrying an
 * address of the servers network as its primary IPv4.
 */
export async function generateSiteVirtualization(
  create: Create,
  update: (label: string, rows: AnyRecord[]) => Promise<unknown>,
  shared: VirtualizationShared,
  sites: readonly VirtualizationSite[],
  vmsPerSite: number,
  rnd: Random,
): Promise<void> {
  const clusters = await create(
    'virtualization.cluster',
    sites.map(({ site, n }) => ({
      name: `${String(site.name)}-${n % 3 === 2 ? 'kvm' : 'vsphere'}`,
      cluster_type: n % 3 === 2 ? shared.kvm.id : shared.vsphere.id,
      cluster_group: shared.production.id,
      location: site.id,
      tenant: site.tenant,
    })),
  );
  const vmRows: Rec[] = [];
  sites.forEach(({ site }, k) => {
    for (let i = 1; i <= vmsPerSite; i++) {
      const role = shared.roles[(i - 1) % shared.roles.length];
      vmRows.push({
        name: `${String(site.name).toLowerCase()}-${String(role.name).slice(3)}${String(i).padStart(2, '0')}`,
        cluster: clusters[k].id,
        location: site.id,
        role: role.id,
        tenant: site.tenant,
        status: rnd.chance(0.95) ? 'Active' : 'Planned',
        vcpus: rnd.pick([1, 2, 4, 8]),
        memory: rnd.pick([2048, 4096, 8192, 16384]),
        disk: rnd.pick([20, 40, 100, 250]),
      });
    }
  });
  const vms = await create('virtualization.virtualmachine', vmRows);
  const perSite = (k: number) => vms.slice(k * vmsPerSite, (k + 1) * vmsPerSite);
  const ipRows: Rec[] = [];
  sites.forEach(({ site, n }, k) =>
    perSite(k).forEach((vm, i) =>
      ipRows.push({
        address: `10.${n}.10.${100 + i}/24`,
        namespace: 'Global',
        status: 'Active',
        dns_name: `${String(vm.name)}.example.net`,
        tenant: site.tenant,
      }),
    ),
  );
  const ips = await create('ipam.ipaddress', ipRows);
  await create(
    'virtualization.vminterface',
    sites.flatMap(({ serverVlan, index }, k) =>
      perSite(k).map((vm, i) => ({
        virtual_machine: vm.id,
        name: 'eth0',
        mtu: 1500,
        mac_address: `52:54:00:${hex(index >> 8)}:${hex(index)}:${hex(i)}`,
        mode: 'access',
        untagged_vlan: serverVlan.id,
        ip_addresses: [ips[k * vmsPerSite + i].id],
      })),
    ),
  );
  await update(
    'virtualization.virtualmachine',
    vms.map((vm, j) => ({ id: vm.id, primary_ip4: ips[j].id })),
  );
}

function hex(n: number): string {
  return (n & 0xff).toString(16).padStart(2, '0');
}
