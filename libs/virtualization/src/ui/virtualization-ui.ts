import {
  EMPTY_CELL,
  choiceLabel,
  choiceValue,
  colorBadge,
  dataTable,
  html,
  objectLink,
  type ApiObject,
  type Html,
  type ObjectContext,
  type SafeHtml,
  type TemplateExtension,
  type UiPanel,
} from '@plinth/plugin-sdk';

function list(v: unknown): ApiObject[] {
  return Array.isArray(v) ? (v as ApiObject[]) : [];
}

function orEmpty(v: unknown): Html {
  return v === null || v === undefined || v === '' ? EMPTY_CELL : String(v);
}

function links(ctx: ObjectContext, objects: readonly ApiObject[]): Html {
  return objects.length
    ? html`${objects.map((o, n) => html`${n ? html`<br />` : ''}${objectLink(ctx, o)}`)}`
    : EMPTY_CELL;
}

/** An interface's 802.1Q mode with its untagged and tagged VLANs, as the device page shows them. */
function vlanCell(ctx: ObjectContext, i: ApiObject): Html {
  const mode = choiceValue(i.mode);
  if (!mode) return EMPTY_CELL;
  const tagged = list(i.tagged_vlans);
  return html`<span class="vlan-mode">${choiceLabel(i.mode)}</span>
    ${i.untagged_vlan ? html`<br /><small>Untagged: ${objectLink(ctx, i.untagged_vlan)}</small>` : ''}
    ${
      mode === 'tagged-all'
        ? html`<br /><small>Tagged: all</small>`
        : tagged.length
          ? html`<br /><small
                >Tagged: ${tagged.map((v, n) => html`${n ? ', ' : ''}${objectLink(ctx, v)}`)}</small
              >`
          : ''
    }`;
}

function addButton(ctx: ObjectContext, label: string, model: string, query: string): SafeHtml {
  const url = ctx.url(model);
  return url ? html`<a class="btn btn-sm btn-primary mt-2" href="${url}add/?${query}">${label}</a>` : html``;
}

/** A virtual machine's interfaces: status, 802.1Q, MAC, MTU, parent/bridge and IP addresses. */
async function vmInterfacesPanel(ctx: ObjectContext): Promise<UiPanel | null> {
  if (!(await ctx.can('view', 'virtualization.vminterface'))) return null;
  const id = String(ctx.object.id);
  const interfaces = await ctx.api.list('virtualization.vminterface', { virtual_machine: id }, { depth: 1 });
  const rows = interfaces.map((i) => ({
    data: { interface: String(i.name) },
    className: i.enabled === false ? 'text-muted' : undefined,
    cells: [
      objectLink(ctx, i, i.name),
      i.enabled === false
        ? html`<span class="badge text-bg-secondary">Disabled</span>`
        : colorBadge(ctx, i.status),
      vlanCell(ctx, i),
      orEmpty(i.mac_address),
      orEmpty(i.mtu),
      i.parent_interface
        ? objectLink(ctx, i.parent_interface, (i.parent_interface as ApiObject).name)
        : EMPTY_CELL,
      i.bridge ? objectLink(ctx, i.bridge, (i.bridge as ApiObject).name) : EMPTY_CELL,
      links(ctx, list(i.ip_addresses)),
      orEmpty(i.description),
    ],
  }));
  const add = (await ctx.can('add', 'virtualization.vminterface'))
    ? addButton(ctx, 'Add interface', 'virtualization.vminterface', `virtual_machine=${id}`)
    : '';
  return {
    title: `Interfaces (${interfaces.length})`,
    body: html`${dataTable({
      columns: [
        'Name',
        'Status',
        '802.1Q',
        'MAC address',
        'MTU',
        'Parent',
        'Bridge',
        'IP addresses',
        'Description',
      ],
      rows,
      empty: 'No interfaces',
      className: 'vm-interfaces',
    })}${add}`,
  };
}

/** A VM interface's addresses (assigned through the interface's `ip_addresses`). */
async function vmInterfaceAddressesPanel(ctx: ObjectContext): Promise<UiPanel | null> {
  if (!(await ctx.can('view', 'ipam.ipaddress'))) return null;
  const ids = (ctx.object.ip_addresses as string[] | undefined) ?? [];
  const ips = ids.length ? await ctx.api.list('ipam.ipaddress', { id: ids }, { depth: 1 }) : [];
  return {
    title: 'IP addresses',
    body: dataTable({
      columns: ['Address', 'Status', 'DNS name', 'Description'],
      rows: ips.map((ip) => [
        objectLink(ctx, ip, ip.address),
        colorBadge(ctx, ip.status),
        orEmpty(ip.dns_name),
        orEmpty(ip.description),
      ]),
      empty: 'No IP addresses',
      className: 'vm-interface-addresses',
    }),
  };
}

/** A cluster's hosts (devices whose `cluster` is it) and its virtual machines. */
async function clusterPanels(ctx: ObjectContext): Promise<UiPanel[]> {
  const id = String(ctx.object.id);
  const panels: UiPanel[] = [];
  if (await ctx.can('view', 'dcim.device')) {
    const hosts = await ctx.api.list('dcim.device', { cluster: id }, { depth: 1 });
    panels.push({
      title: `Hosts (${hosts.length})`,
      body: dataTable({
        columns: ['Device', 'Status', 'Location', 'Rack', 'Role'],
        rows: hosts.map((d) => [
          objectLink(ctx, d, d.name),
          colorBadge(ctx, d.status),
          objectLink(ctx, d.location),
          objectLink(ctx, d.rack),
          objectLink(ctx, d.role),
        ]),
        empty: 'No hosts',
        className: 'cluster-hosts',
      }),
    });
  }
  if (await ctx.can('view', 'virtualization.virtualmachine')) {
    const vms = await ctx.api.list('virtualization.virtualmachine', { cluster: id }, { depth: 1 });
    const add = (await ctx.can('add', 'virtualization.virtualmachine'))
      ? addButton(ctx, 'Add virtual machine', 'virtualization.virtualmachine', `cluster=${id}`)
      : '';
    panels.push({
      title: `Virtual machines (${vms.length})`,
      body: html`${dataTable({
        columns: ['Name', 'Status', 'Role', 'Tenant', 'vCPUs', 'Memory (MB)', 'Disk (GB)', 'Primary IP'],
        rows: vms.map((v) => [
          objectLink(ctx, v, v.name),
          colorBadge(ctx, v.status),
          objectLink(ctx, v.role),
          objectLink(ctx, v.tenant),
          orEmpty(v.vcpus),
          orEmpty(v.memory),
          orEmpty(v.disk),
          objectLink(ctx, v.primary_ip4 ?? v.primary_ip6),
        ]),
        empty: 'No virtual machines',
        className: 'cluster-virtual-machines',
      })}${add}`,
    });
  }
  return panels;
}

export const virtualMachinePage: TemplateExtension = {
  model: 'virtualization.virtualmachine',
  full_width_page: vmInterfacesPanel,
};

export const vmInterfacePage: TemplateExtension = {
  model: 'virtualization.vminterface',
  right_page: vmInterfaceAddressesPanel,
};

export const clusterPage: TemplateExtension = {
  model: 'virtualization.cluster',
  full_width_page: clusterPanels,
};
