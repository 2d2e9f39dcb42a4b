import type { Rec } from '@plinth/plugin-sdk';
import type { TestApp } from '@plinth/testing';

/** Small builders for the ipam suites: dcim objects are created as the system, through the write path. */
export class IpamFixtures {
  private n = 0;

  constructor(private readonly t: TestApp) {}

  private seq(prefix: string): string {
    return `${prefix}-${++this.n}`;
  }

  async locationType(content_types: string[], parent?: string): Promise<Rec> {
    const [lt] = await this.t.objects.create('dcim.locationtype', [
      { name: this.seq('lt'), content_types, nestable: true, parent: parent ?? null },
    ]);
    return lt;
  }

  async location(locationType: string, parent?: string): Promise<Rec> {
    const [l] = await this.t.objects.create('dcim.location', [
      { name: this.seq('loc'), location_type: locationType, parent: parent ?? null, status: 'Active' },
    ]);
    return l;
  }

  /** A device with `interfaces` interfaces (eth0, eth1, ...) at `location`. */
  async device(
    location: string,
    interfaces = 2,
    extra: Rec = {},
  ): Promise<{ device: Rec; interfaces: Rec[] }> {
    const [manufacturer] = await this.t.objects.create('dcim.manufacturer', [{ name: this.seq('mfr') }]);
    const [deviceType] = await this.t.objects.create('dcim.devicetype', [
      { manufacturer: manufacturer.id, model: this.seq('model') },
    ]);
    const [role] = await this.t.objects.create('extras.role', [
      { name: this.seq('role'), content_types: ['dcim.device'] },
    ]);
    const [device] = await this.t.objects.create('dcim.device', [
      {
        name: this.seq('dev'),
        device_type: deviceType.id,
        role: role.id,
        location,
        status: 'Active',
        ...extra,
      },
    ]);
    const ifaces = interfaces
      ? await this.t.objects.create(
          'dcim.interface',
          Array.from({ length: interfaces }, (_, i) => ({
            device: device.id,
            name: `eth${i}`,
            type: '1000base-t',
            status: 'Active',
          })),
        )
      : [];
    return { device, interfaces: ifaces };
  }
}
