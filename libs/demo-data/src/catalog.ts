/**
 * The hardware and organisation the demo network is built from. Names are illustrative; port
 * layouts follow common real devices so interface names look familiar.
 */

export interface PortRange {
  /** printf-like pattern with `{n}`: `Ethernet{n}`. */
  pattern: string;
  from: number;
  to: number;
  type: string;
  mgmt_only?: boolean;
}

export interface DeviceTypeSpec {
  key: string;
  manufacturer: string;
  model: string;
  u_height: number;
  interfaces: PortRange[];
  console_ports?: string[];
  console_server_ports?: PortRange;
  power_ports?: string[];
  front_rear_ports?: number;
  is_full_depth?: boolean;
}

const range = (pattern: string, from: number, to: number, type: string, mgmt_only = false): PortRange => ({
  pattern,
  from,
  to,
  type,
  mgmt_only,
});

export const DEVICE_TYPES: DeviceTypeSpec[] = [
  {
    key: 'router',
    manufacturer: 'Juniper',
    model: 'MX204',
    u_height: 1,
    interfaces: [
      range('et-0/0/{n}', 0, 3, '100gbase-x-qsfp28'),
      range('xe-0/1/{n}', 0, 7, '10gbase-x-sfpp'),
      range('fxp{n}', 0, 0, '1000base-t', true),
    ],
    console_ports: ['con'],
    power_ports: ['PSU0', 'PSU1'],
  },
  {
    key: 'spine',
    manufacturer: 'Arista',
    model: 'DCS-7060CX-32S',
    u_height: 1,
    interfaces: [
      range('Ethernet{n}', 1, 32, '100gbase-x-qsfp28'),
      range('Management{n}', 1, 1, '1000base-t', true),
    ],
    console_ports: ['Console'],
    power_ports: ['PSU1', 'PSU2'],
  },
  {
    key: 'leaf',
    manufacturer: 'Arista',
    model: 'DCS-7050SX3-24YC4',
    u_height: 1,
    interfaces: [
      range('Ethernet{n}', 1, 24, '25gbase-x-sfp28'),
      range('Ethernet{n}', 25, 28, '100gbase-x-qsfp28'),
      range('Management{n}', 1, 1, '1000base-t', true),
    ],
    console_ports: ['Console'],
    power_ports: ['PSU1', 'PSU2'],
  },
  {
    key: 'access',
    manufacturer: 'Cisco',
    model: 'C9300-24T',
    u_height: 1,
    interfaces: [
      range('GigabitEthernet1/0/{n}', 1, 24, '1000base-t'),
      range('TenGigabitEthernet1/1/{n}', 1, 2, '10gbase-x-sfpp'),
      range('GigabitEthernet0/{n}', 0, 0, '1000base-t', true),
    ],
    console_ports: ['con0'],
    power_ports: ['PS-A', 'PS-B'],
  },
  {
    key: 'console',
    manufacturer: 'Opengear',
    model: 'CM7116-2',
    u_height: 1,
    interfaces: [range('NET{n}', 1, 1, '1000base-t', true)],
    console_server_ports: range('Port {n}', 1, 16, 'rj-45'),
    power_ports: ['PSU'],
    is_full_depth: false,
  },
  {
    key: 'patch',
    manufacturer: 'Generic',
    model: '24-port copper patch panel',
    u_height: 1,
    interfaces: [],
    front_rear_ports: 24,
    is_full_depth: false,
  },
];

export const REGIONS = [
  'Europe',
  'North America',
  'Asia Pacific',
  'South America',
  'Middle East',
  'Africa',
  'Oceania',
  'Central Asia',
  'Nordics',
  'Caribbean',
  'East Asia',
  'Iberia',
];

export const CITY_CODES = [
  'ams',
  'fra',
  'lon',
  'par',
  'mad',
  'mil',
  'sto',
  'waw',
  'vie',
  'zrh',
  'dub',
  'bru',
  'prg',
  'bud',
  'osl',
  'nyc',
  'sjc',
  'chi',
  'dfw',
  'sea',
  'atl',
  'mia',
  'den',
  'yyz',
  'yvr',
  'lax',
  'bos',
  'iad',
  'phx',
  'msp',
  'sin',
  'hkg',
  'tyo',
  'syd',
  'mel',
  'bom',
  'del',
  'icn',
  'tpe',
  'kul',
  'bkk',
  'cgk',
  'mnl',
  'akl',
  'per',
  'gru',
  'eze',
  'scl',
  'bog',
  'lim',
  'dxb',
  'doh',
  'ruh',
  'tlv',
  'jnb',
  'cpt',
  'nbo',
  'los',
  'cai',
  'cmn',
];

export const PROVIDERS = [
  { name: 'Lumen', asn: 3356 },
  { name: 'Zayo', asn: 6461 },
  { name: 'NTT', asn: 2914 },
  { name: 'Cogent', asn: 174 },
  { name: 'Telia', asn: 1299 },
];

export const TENANTS = [
  'Acme Corp',
  'Globex',
  'Initech',
  'Umbrella',
  'Hooli',
  'Stark Industries',
  'Wayne Enterprises',
  'Wonka',
];

export const SERVER_VLANS = [
  { vid: 100, name: 'servers' },
  { vid: 110, name: 'storage' },
  { vid: 120, name: 'voice' },
  { vid: 130, name: 'guests' },
  { vid: 140, name: 'iot' },
];

export function portNames(r: PortRange): string[] {
  const out: string[] = [];
  for (let n = r.from; n <= r.to; n++) out.push(r.pattern.replace('{n}', String(n)));
  return out;
}
