import {
  EMPTY_CELL,
  choiceLabel,
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

/** Devices listed on a version page (the rest are one click away, in the filtered list). */
const DEVICES_SHOWN = 50;

function text(v: unknown): Html {
  return v === null || v === undefined || v === '' ? EMPTY_CELL : String(v);
}

function yesNo(v: unknown): SafeHtml {
  return v ? html`<span class="text-success">✔</span>` : html`<span class="text-muted">✘</span>`;
}

/** A stored URL shown as a link only when it is http(s) (the fields' rules allow ftp for downloads). */
function urlLink(v: unknown): Html {
  if (typeof v !== 'string' || !/^https?:\/\//i.test(v)) return text(v);
  return html`<a href="${v}" rel="noopener noreferrer" target="_blank">${v}</a>`;
}

/** Bytes as people read them (1073741824 -> "1.0 GiB"); the exact number is in the title. */
function size(v: unknown): Html {
  if (typeof v !== 'number') return EMPTY_CELL;
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let n = v;
  let u = 0;
  while (n >= 1024 && u < units.length - 1) {
    n /= 1024;
    u++;
  }
  return html`<span title="${v} bytes">${u === 0 ? String(n) : n.toFixed(1)} ${units[u]}</span>`;
}

/**
 * Image files as a table: the full one (checksum and download URL) on the version page, a
 * compact one in the side panels of devices and device types.
 */
function imageTable(
  ctx: ObjectContext,
  files: readonly ApiObject[],
  opts: { version: boolean; compact: boolean },
): SafeHtml {
  const { version, compact } = opts;
  return dataTable({
    columns: [
      'File name',
      ...(version ? ['Version'] : []),
      'Status',
      'Default',
      'Size',
      ...(compact ? [] : ['Checksum', 'Download URL']),
    ],
    rows: files.map((f) => ({
      data: { image: String(f.image_file_name) },
      cells: [
        objectLink(ctx, f, f.image_file_name),
        ...(version ? [objectLink(ctx, f.software_version)] : []),
        colorBadge(ctx, f.status),
        yesNo(f.default_image),
        size(f.image_file_size),
        ...(compact
          ? []
          : [
              f.image_file_checksum
                ? html`<code class="text-break">${String(f.image_file_checksum)}</code>
                    <small class="text-muted">${choiceLabel(f.hashing_algorithm)}</small>`
                : EMPTY_CELL,
              urlLink(f.download_url),
            ]),
      ],
    })),
    empty: 'No software image files.',
    className: 'software-image-files',
  });
}

function deviceTable(ctx: ObjectContext, devices: readonly ApiObject[]): SafeHtml {
  return dataTable({
    columns: ['Name', 'Status', 'Location', 'Device type', 'Platform'],
    rows: devices.map((d) => ({
      data: { device: String(d.name ?? d.display) },
      cells: [
        objectLink(ctx, d),
        colorBadge(ctx, d.status),
        objectLink(ctx, d.location),
        objectLink(ctx, d.device_type),
        objectLink(ctx, d.platform),
      ],
    })),
    empty: 'No devices.',
    className: 'software-devices',
  });
}

/** A software version's page: its image files and the devices running it. */
export const softwareVersionPanels: TemplateExtension = {
  model: 'dcim.softwareversion',
  async full_width_page(ctx: ObjectContext): Promise<UiPanel[]> {
    const id = String(ctx.object.id);
    const files = await ctx.api.list('dcim.softwareimagefile', { software_version: id }, { depth: 1 });
    const devices = await ctx.api.list(
      'dcim.device',
      { software_version: id },
      { depth: 1, limit: DEVICES_SHOWN + 1 },
    );
    const list = ctx.url('dcim.device');
    const more = devices.length > DEVICES_SHOWN;
    return [
      {
        title: `Software Image Files (${files.length})`,
        body: imageTable(ctx, files, { version: false, compact: false }),
      },
      {
        title: more ? `Devices (more than ${DEVICES_SHOWN})` : `Devices (${devices.length})`,
        body: html`${deviceTable(ctx, devices.slice(0, DEVICES_SHOWN))}
        ${list ? html`<p class="small mt-2 mb-0"><a href="${list}?software_version=${id}">All devices running this version</a></p>` : ''}`,
      },
    ];
  },
};

/** An image file's page: the devices it is assigned to directly. */
export const softwareImageFilePanels: TemplateExtension = {
  model: 'dcim.softwareimagefile',
  async full_width_page(ctx: ObjectContext): Promise<UiPanel[]> {
    const devices = await ctx.api.list(
      'dcim.device',
      { software_image_files: String(ctx.object.id) },
      { depth: 1, limit: DEVICES_SHOWN },
    );
    return [{ title: `Devices (${devices.length})`, body: deviceTable(ctx, devices) }];
  },
};

/**
 * The image files of a device as Nautobot's `get_for_object` picks them: its own list; else the
 * version's files for its device type; else the version's default images.
 */
function effectiveImages(device: ApiObject, files: readonly ApiObject[]): readonly ApiObject[] {
  const own = new Set(
    ((device.software_image_files as ApiObject[] | undefined) ?? []).map((f) => String(f.id)),
  );
  if (own.size) return files.filter((f) => own.has(String(f.id)));
  const typeId = String((device.device_type as ApiObject | null)?.id ?? '');
  const forType = files.filter((f) =>
    ((f.device_types as ApiObject[] | undefined) ?? []).some((t) => String(t.id) === typeId),
  );
  return forType.length ? forType : files.filter((f) => f.default_image);
}

/** A device's software: its version and image files. */
export const deviceSoftwarePanel: TemplateExtension = {
  model: 'dcim.device',
  async right_page(ctx: ObjectContext): Promise<UiPanel | null> {
    const versionId = ctx.object.software_version;
    const own = (ctx.object.software_image_files as string[] | undefined) ?? [];
    if (typeof versionId !== 'string' && own.length === 0) {
      return { title: 'Software', body: html`<p class="text-muted mb-0">No software version assigned.</p>` };
    }
    const [device] = await ctx.api.list('dcim.device', { id: String(ctx.object.id) }, { depth: 1 });
    const version =
      typeof versionId === 'string'
        ? (await ctx.api.list('dcim.softwareversion', { id: versionId }, { depth: 1 }))[0]
        : undefined;
    const files = await ctx.api.list(
      'dcim.softwareimagefile',
      typeof versionId === 'string' && own.length === 0 ? { software_version: versionId } : { id: own },
      { depth: 1 },
    );
    const shown = device ? effectiveImages(device, files) : files;
    return {
      title: 'Software',
      body: html`<table class="table table-sm mb-2 device-software">
          <tr>
            <th>Version</th>
            <td>${version ? objectLink(ctx, version) : EMPTY_CELL}</td>
          </tr>
          <tr>
            <th>Platform</th>
            <td>${version ? objectLink(ctx, version.platform) : EMPTY_CELL}</td>
          </tr>
          <tr>
            <th>Status</th>
            <td>${version ? colorBadge(ctx, version.status) : EMPTY_CELL}</td>
          </tr>
          <tr>
            <th>End of support</th>
            <td>${text(version?.end_of_support_date)}</td>
          </tr>
        </table>
        ${imageTable(ctx, shown, { version: own.length > 0, compact: true })}`,
    };
  },
};

/** A device type's page: the image files for it. */
export const deviceTypeSoftwarePanel: TemplateExtension = {
  model: 'dcim.devicetype',
  async right_page(ctx: ObjectContext): Promise<UiPanel> {
    const files = await ctx.api.list(
      'dcim.softwareimagefile',
      { device_types: String(ctx.object.id) },
      { depth: 1 },
    );
    return {
      title: `Software Image Files (${files.length})`,
      body: imageTable(ctx, files, { version: true, compact: true }),
    };
  },
};

export const SOFTWARE_TEMPLATE_EXTENSIONS: TemplateExtension[] = [
  softwareVersionPanels,
  softwareImageFilePanels,
  deviceSoftwarePanel,
  deviceTypeSoftwarePanel,
];
