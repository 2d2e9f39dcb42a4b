import { Filter } from 'ldapts';

/** A value inside a search filter (RFC 4515): `*`, `(`, `)`, `\` and NUL become `\2a` etc. */
export function escapeFilterValue(value: string): string {
  return Filter.escape(value);
}

/**
 * An attribute value inside a DN (RFC 4514): `,+"\<>;=` and NUL escaped, a leading space or `#`
 * and a trailing space too, so a login name cannot add RDNs or move the bind elsewhere.
 */
export function escapeDnValue(value: string): string {
  let out = value.replace(/[,+"\\<>;=\0]/g, (c) => (c === '\0' ? '\\00' : `\\${c}`));
  if (out.startsWith(' ') || out.startsWith('#')) out = `\\${out}`;
  if (out.endsWith(' ') && out.length > 1) out = `${out.slice(0, -1)}\\ `;
  return out;
}

/** Fill `{name}` placeholders of a settings template with escaped values. */
export function fillTemplate(
  template: string,
  values: Readonly<Record<string, string>>,
  escape: (v: string) => string,
): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(values, name) ? escape(values[name]) : whole,
  );
}

/** DNs as the directory may spell them differently: case and spaces around separators. */
export function normalizeDn(dn: string): string {
  return dn
    .split(/(?<!\\),/)
    .map((rdn) => rdn.trim().replace(/\s*=\s*/, '='))
    .join(',')
    .toLowerCase();
}
