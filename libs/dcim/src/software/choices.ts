import type { Choice } from '@plinth/plugin-sdk';

/** Nautobot's SoftwareImageFileHashingAlgorithmChoices. */
export const HASHING_ALGORITHMS: readonly Choice[] = [
  { value: 'md5', label: 'MD5' },
  { value: 'sha1', label: 'SHA-1' },
  { value: 'sha224', label: 'SHA-224' },
  { value: 'sha384', label: 'SHA-384' },
  { value: 'sha256', label: 'SHA-256' },
  { value: 'sha512', label: 'SHA-512' },
  { value: 'sha3', label: 'SHA-3' },
  { value: 'blake2b', label: 'BLAKE2b' },
  { value: 'blake2s', label: 'BLAKE2s' },
  { value: 'blake3', label: 'BLAKE3' },
];

/**
 * A URL field's check: empty, or an absolute URL of one of the schemes (Nautobot's URLField
 * accepts http(s) and ftp(s); `documentation_url` is shown as a link, so only http(s) there).
 * Plinth never fetches these URLs: they are links for people and tools.
 */
export function urlOf(schemes: readonly string[]): (value: unknown) => string | undefined {
  return (value) => {
    if (typeof value !== 'string' || value === '') return undefined;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return 'Enter a valid URL.';
    }
    if (!schemes.includes(url.protocol.replace(/:$/, '')) || !url.hostname)
      return `Enter a valid URL (${schemes.join(', ')}).`;
    return undefined;
  };
}
