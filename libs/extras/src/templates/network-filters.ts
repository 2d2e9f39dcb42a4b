import * as ipaddr from 'ipaddr.js';

/**
 * The engine's built-in network filters (Nautobot's netutils-style Jinja filters). They run in
 * the render worker, take strings and return strings/numbers/booleans.
 *
 *   {{ "10.0.0.0/24" | netmask }}      255.255.255.0
 *   {{ "10.0.0.0/24" | hostmask }}     0.0.0.255
 *   {{ "10.0.0.7/24" | network }}      10.0.0.0/24
 *   {{ "10.0.0.7/24" | prefixlen }}    24
 *   {{ "10.0.0.7/24" | ipaddr }}       10.0.0.7 (the address without its length)
 *   {{ "10.0.0.0/24" | broadcast }}    10.0.0.255
 *   {{ "10.0.0.7" | ip_version }}      4
 *   {{ "10.0.0.7" | is_ip }}           true
 *   {{ "10.0.0.7" | in_network("10.0.0.0/8") }}  true
 */

function parseCidr(value: unknown): [ipaddr.IPv4 | ipaddr.IPv6, number] {
  const text = String(value ?? '').trim();
  if (text.includes('/')) return ipaddr.parseCIDR(text);
  const addr = ipaddr.parse(text);
  return [addr, addr.kind() === 'ipv4' ? 32 : 128];
}

function bytesToAddr(bytes: number[]): ipaddr.IPv4 | ipaddr.IPv6 {
  return ipaddr.fromByteArray(bytes);
}

function maskBytes(kind: 'ipv4' | 'ipv6', length: number): number[] {
  const total = kind === 'ipv4' ? 4 : 16;
  const out: number[] = [];
  for (let i = 0; i < total; i++) {
    const bits = Math.max(0, Math.min(8, length - i * 8));
    out.push((0xff << (8 - bits)) & 0xff);
  }
  return out;
}

export function netmask(value: unknown): string {
  const [addr, len] = parseCidr(value);
  return bytesToAddr(maskBytes(addr.kind(), len)).toString();
}

export function hostmask(value: unknown): string {
  const [addr, len] = parseCidr(value);
  return bytesToAddr(maskBytes(addr.kind(), len).map((b) => ~b & 0xff)).toString();
}

export function network(value: unknown): string {
  const [addr, len] = parseCidr(value);
  const mask = maskBytes(addr.kind(), len);
  const net = addr.toByteArray().map((b, i) => b & mask[i]);
  return `${bytesToAddr(net).toString()}/${len}`;
}

export function broadcast(value: unknown): string {
  const [addr, len] = parseCidr(value);
  const mask = maskBytes(addr.kind(), len);
  return bytesToAddr(addr.toByteArray().map((b, i) => (b & mask[i]) | (~mask[i] & 0xff))).toString();
}

export function prefixlen(value: unknown): number {
  return parseCidr(value)[1];
}

export function ipaddr_address(value: unknown): string {
  return parseCidr(value)[0].toString();
}

export function ip_version(value: unknown): number {
  return parseCidr(value)[0].kind() === 'ipv4' ? 4 : 6;
}

export function is_ip(value: unknown): boolean {
  return ipaddr.isValid(
    String(value ?? '')
      .split('/')[0]
      .trim(),
  );
}

export function in_network(value: unknown, net: unknown): boolean {
  const [addr] = parseCidr(value);
  const range = ipaddr.parseCIDR(String(net));
  return addr.kind() === range[0].kind() && addr.match(range);
}

/** Filter name -> export of this module (the worker loads them by name). */
export const NETWORK_FILTERS: Readonly<Record<string, string>> = {
  netmask: 'netmask',
  hostmask: 'hostmask',
  network: 'network',
  broadcast: 'broadcast',
  prefixlen: 'prefixlen',
  ipaddr: 'ipaddr_address',
  ip_version: 'ip_version',
  is_ip: 'is_ip',
  in_network: 'in_network',
};
