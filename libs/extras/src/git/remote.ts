import * as dns from 'node:dns';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AddressPolicy, RefusedAddressError } from '../webhooks/ssrf';

/** Save-time check of a remote URL: http(s) or file://, without credentials. */
export function checkRemoteUrl(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'Enter a valid URL.';
  }
  if (url.protocol === 'file:') {
    if (url.host) return 'A file:// URL names a local path (file:///srv/mirrors/repo.git).';
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return 'Only http://, https:// and file:// URLs are allowed.';
  if (!url.hostname) return 'Enter a valid URL.';
  if (url.username || url.password) return 'Credentials in the URL are not allowed; use a secrets group.';
  return undefined;
}

/** Where a remote may be fetched from: the Git settings (PLINTH_GIT_ALLOWED_HOSTS, PLINTH_GIT_FILE_ROOTS). */
export interface RemotePolicySettings {
  allowedHosts: readonly string[];
  fileRoots: readonly string[];
}

/** What git is told about a checked remote: the URL and, for http(s), the address to connect to. */
export interface CheckedRemote {
  url: string;
  /** `host:port:address` for git's http.curloptResolve: the connection goes to the checked address only. */
  resolve: string | null;
}

/**
 * The webhook SSRF guard applied to Git remotes: an http(s) host must resolve to public
 * addresses only (or be allowed by PLINTH_GIT_ALLOWED_HOSTS), and git connects to the checked
 * address (no second DNS answer); a file:// path must be under PLINTH_GIT_FILE_ROOTS.
 */
export class RemotePolicy {
  private readonly addresses: AddressPolicy;

  constructor(private readonly settings: RemotePolicySettings) {
    this.addresses = new AddressPolicy(settings.allowedHosts, 'PLINTH_GIT_ALLOWED_HOSTS');
  }

  async check(text: string): Promise<CheckedRemote> {
    const syntax = checkRemoteUrl(text);
    if (syntax) throw new RefusedAddressError(`Refused: ${syntax}`);
    const url = new URL(text);
    if (url.protocol === 'file:') {
      const dir = path.resolve(fileURLToPath(url));
      const inside = this.settings.fileRoots.some((root) => dir === root || dir.startsWith(root + path.sep));
      if (!inside)
        throw new RefusedAddressError(
          `Refused: ${dir} is not under a directory of PLINTH_GIT_FILE_ROOTS; add its mirror directory there to allow it.`,
        );
      return { url: url.href, resolve: null };
    }
    this.addresses.checkUrl(url);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (this.addresses.hostAllowed(host) || /^[\d.]+$|:/.test(host)) return { url: url.href, resolve: null };
    const found = await dns.promises.lookup(host, { all: true });
    for (const a of found) {
      const why = this.addresses.refusal(a.address);
      if (why) throw new RefusedAddressError(`Refused: ${host} resolves to ${why}.`);
    }
    const port = url.port || (url.protocol === 'https:' ? '443' : '80');
    const first = found[0].family === 6 ? `[${found[0].address}]` : found[0].address;
    return { url: url.href, resolve: `${host}:${port}:${first}` };
  }
}
