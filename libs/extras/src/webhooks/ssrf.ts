import * as dns from 'node:dns';
import type { LookupFunction } from 'node:net';
import * as ipaddr from 'ipaddr.js';
import { parseIpAddress, type IpAddress } from '@plinth/plugin-sdk';

/** Thrown when a webhook would reach an address the operator has not allowed. */
export class RefusedAddressError extends Error {
  readonly code = 'EPLINTHREFUSED';
}

/** Save-time check of a payload URL: an absolute http(s) URL without credentials. */
export function checkPayloadUrl(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'Enter a valid URL.';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return 'Only http:// and https:// URLs are allowed.';
  if (!url.hostname) return 'Enter a valid URL.';
  if (url.username || url.password) return 'Credentials in the URL are not allowed; use additional headers.';
  return undefined;
}

/**
 * The ipaddr.js ranges of public unicast addresses. Everything else is refused: loopback,
 * link-local (169.254.0.0/16 and fe80::/10, cloud metadata among them), private (RFC 1918),
 * unique-local (fc00::/7), carrier-grade NAT, multicast, reserved, unspecified, and the IPv6
 * forms that embed an IPv4 address (6to4, Teredo, NAT64), whose target cannot be judged.
 */
function isPublicUnicast(addr: IpAddress): boolean {
  if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress())
    return isPublicUnicast((addr as ipaddr.IPv6).toIPv4Address());
  return addr.range() === 'unicast';
}

function parseLoose(text: string): IpAddress | null {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  return parseIpAddress(bare) ?? (ipaddr.isValid(bare) ? ipaddr.parse(bare) : null);
}

/**
 * The operator's allow-list and the public-unicast rule: webhooks (PLINTH_WEBHOOK_ALLOWED_HOSTS)
 * and Git remotes (PLINTH_GIT_ALLOWED_HOSTS) each have their own list; `setting` names it in refusals.
 */
export class AddressPolicy {
  private readonly names = new Set<string>();
  private readonly networks: [IpAddress, number][] = [];

  constructor(
    allowed: readonly string[],
    private readonly setting = 'PLINTH_WEBHOOK_ALLOWED_HOSTS',
  ) {
    for (const entry of allowed) {
      const e = entry.trim().toLowerCase();
      if (!e) continue;
      if (e.includes('/') && ipaddr.isValidCIDR(e)) this.networks.push(ipaddr.parseCIDR(e));
      else {
        const addr = parseLoose(e);
        if (addr) this.networks.push([addr, addr.kind() === 'ipv4' ? 32 : 128]);
        else this.names.add(e.replace(/\.$/, ''));
      }
    }
  }

  hostAllowed(hostname: string): boolean {
    return this.names.has(hostname.toLowerCase().replace(/\.$/, ''));
  }

  /** Why an address is refused, or null when it may be reached. */
  refusal(address: string): string | null {
    const addr = parseLoose(address);
    if (!addr) return `${address} is not an IP address`;
    if (isPublicUnicast(addr)) return null;
    const candidates: IpAddress[] = [addr];
    if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress())
      candidates.push((addr as ipaddr.IPv6).toIPv4Address());
    for (const [net, len] of this.networks) {
      for (const c of candidates) if (c.kind() === net.kind() && c.match(net, len)) return null;
    }
    const range = (candidates.at(-1) as IpAddress).range();
    return `${address} is a ${range} address; add it to ${this.setting} to allow it`;
  }

  /** Check a URL's host before connecting: IP literals here (no DNS lookup happens for them). */
  checkUrl(url: URL): void {
    const host = url.hostname;
    if (this.hostAllowed(host)) return;
    const literal = parseLoose(host);
    if (literal) {
      const why = this.refusal(host.replace(/^\[|\]$/g, ''));
      if (why) throw new RefusedAddressError(`Refused: ${why}.`);
    }
  }

  /**
   * The DNS lookup used for the connection itself: every address the name resolves to must be
   * allowed, and the socket connects to those checked addresses only (no second resolution a
   * rebinding DNS server could answer differently).
   */
  lookup(): LookupFunction {
    return (hostname, options, callback) => {
      dns.lookup(hostname, { all: true, family: options.family ?? 0 }, (err, addresses) => {
        if (err) return callback(err, '', 0);
        if (!this.hostAllowed(hostname)) {
          for (const a of addresses) {
            const why = this.refusal(a.address);
            if (why)
              return callback(new RefusedAddressError(`Refused: ${hostname} resolves to ${why}.`), '', 0);
          }
        }
        if (options.all)
          return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, addresses);
        callback(null, addresses[0].address, addresses[0].family);
      });
    };
  }
}
