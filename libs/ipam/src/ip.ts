import * as ipaddr from 'ipaddr.js';
import { parseIpAddress } from '@plinth/plugin-sdk';

/**
 * Address arithmetic on the application side, as 128-bit-safe bigints. SQL finds the used space
 * (PostgreSQL's inet/cidr operators and indexes); this module only turns the few boundaries SQL
 * returns into addresses and CIDR blocks, and derives the read-only fields shown by the API.
 */

export type IpVersion = 4 | 6;

export interface Network {
  version: IpVersion;
  /** 32 or 128. */
  bits: number;
  length: number;
  /** First and last address of the network. */
  first: bigint;
  last: bigint;
}

export function bitsOf(version: IpVersion): number {
  return version === 4 ? 32 : 128;
}

function toBigInt(addr: ipaddr.IPv4 | ipaddr.IPv6): bigint {
  let v = 0n;
  for (const b of addr.toByteArray()) v = (v << 8n) | BigInt(b);
  return v;
}

/** Canonical text of an address (RFC 5952 for IPv6). */
export function addressText(version: IpVersion, value: bigint): string {
  const bytes: number[] = [];
  for (let i = bitsOf(version) / 8 - 1; i >= 0; i--) bytes.push(Number((value >> BigInt(i * 8)) & 0xffn));
  return ipaddr.fromByteArray(bytes).toString();
}

/** `10.0.0.5/24` or `10.0.0.5` (as PostgreSQL or the parser writes it) -> address, version, length. */
export function parseInet(text: string): { version: IpVersion; value: bigint; length: number } {
  const [host, len] = text.split('/');
  const addr = parseIpAddress(host);
  if (!addr) throw new Error(`not an IP address: ${text}`);
  const version: IpVersion = addr.kind() === 'ipv4' ? 4 : 6;
  return { version, value: toBigInt(addr), length: len === undefined ? bitsOf(version) : Number(len) };
}

/** A network from its CIDR text (host bits, if any, are ignored). */
export function parseNetwork(text: string): Network {
  const { version, value, length } = parseInet(text);
  const bits = bitsOf(version);
  const size = 1n << BigInt(bits - length);
  const first = value - (value % size);
  return { version, bits, length, first, last: first + size - 1n };
}

export function networkSize(net: Network): bigint {
  return net.last - net.first + 1n;
}

/** The address without its mask, as text: `10.0.0.5/24` -> `10.0.0.5`. */
export function hostText(inet: string): string {
  const { version, value } = parseInet(inet);
  return addressText(version, value);
}

/** The host as a full-length inet (`10.0.0.5/32`): the form stored in `ipam_ipaddress._host`. */
export function hostInet(inet: string): string {
  const { version, value } = parseInet(inet);
  return `${addressText(version, value)}/${bitsOf(version)}`;
}

export interface CidrBlock {
  first: bigint;
  length: number;
}

/**
 * The largest aligned CIDR blocks covering [first, last], in address order (netaddr's
 * `iter_cidrs` of a range): at most 2 x bits blocks, whatever the range's size.
 */
export function cidrBlocks(first: bigint, last: bigint, bits: number): CidrBlock[] {
  const out: CidrBlock[] = [];
  let start = first;
  while (start <= last) {
    // The largest block aligned at `start` that still ends inside the range.
    let size = start === 0n ? 1n << BigInt(bits) : start & -start;
    while (start + size - 1n > last) size >>= 1n;
    let length = bits;
    for (let s = size; s > 1n; s >>= 1n) length--;
    out.push({ first: start, length });
    start += size;
  }
  return out;
}

/** The first address of an aligned /length block at or after `from`. */
export function alignUp(from: bigint, length: number, bits: number): bigint {
  const size = 1n << BigInt(bits - length);
  const rem = from % size;
  return rem === 0n ? from : from + size - rem;
}
