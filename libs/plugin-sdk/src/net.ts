import * as ipaddr from 'ipaddr.js';

/**
 * Network values as the write path, the filter engine and plugins normalise them, so that a
 * filter value and a stored value of the same field always agree (`10.0.0.1/24` is the prefix
 * `10.0.0.0/24` wherever it is typed). Errors are thrown with messages fit for API users.
 */

export type IpAddress = ipaddr.IPv4 | ipaddr.IPv6;

/**
 * One address, strictly: IPv4 in dotted-quad decimal only (ipaddr.js would also read `10.1`,
 * `1` or the octal `010.0.0.1`, which no network engineer means), IPv6 without a zone index.
 */
export function parseIpAddress(text: string): IpAddress | null {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text);
  if (!text.includes('%') && ipaddr.IPv6.isValid(text)) return ipaddr.IPv6.parse(text);
  return null;
}

/** `address/len` split and checked (the length must suit the family). */
function parseWithLength(text: string): [IpAddress, number] | null {
  const slash = text.indexOf('/');
  if (slash < 0) return null;
  const addr = parseIpAddress(text.slice(0, slash));
  const lenText = text.slice(slash + 1);
  if (!addr || !/^\d{1,3}$/.test(lenText)) return null;
  const len = Number(lenText);
  return len <= (addr.kind() === 'ipv4' ? 32 : 128) ? [addr, len] : null;
}

/** Normalise an IP network: host bits cleared, canonical text. Throws with a user message. */
export function normalizeCidr(input: string): string {
  const s = input.trim();
  if (!s.includes('/')) throw new Error('CIDR mask (e.g. /24) is required.');
  const parsed = parseWithLength(s);
  if (!parsed) throw new Error(`"${s}" is not a valid IPv4 or IPv6 prefix.`);
  const [addr, len] = parsed;
  const bytes = addr.toByteArray();
  for (let i = 0; i < bytes.length; i++) {
    const bitsHere = Math.max(0, Math.min(8, len - i * 8));
    bytes[i] &= bitsHere === 0 ? 0 : (0xff << (8 - bitsHere)) & 0xff;
  }
  return `${ipaddr.fromByteArray(bytes).toString()}/${len}`;
}

/** Normalise an IP address with optional prefix length (`10.0.0.1` -> `10.0.0.1/32`). */
export function normalizeInet(input: string): string {
  const s = input.trim();
  if (s.includes('/')) {
    const parsed = parseWithLength(s);
    if (!parsed) throw new Error(`"${s}" is not a valid IPv4 or IPv6 address.`);
    return `${parsed[0].toString()}/${parsed[1]}`;
  }
  const addr = parseIpAddress(s);
  if (!addr) throw new Error(`"${s}" is not a valid IPv4 or IPv6 address.`);
  return `${addr.toString()}/${addr.kind() === 'ipv4' ? 32 : 128}`;
}

/** Normalise a MAC address to `AA:BB:CC:DD:EE:FF`. */
export function normalizeMac(input: string): string {
  const hex = input.trim().replace(/[:.\-\s]/g, '');
  if (!/^[0-9a-fA-F]{12}$/.test(hex)) throw new Error(`"${input}" is not a valid MAC address.`);
  return hex.toUpperCase().match(/.{2}/g)!.join(':');
}
