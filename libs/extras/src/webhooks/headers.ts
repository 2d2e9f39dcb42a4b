/** RFC 9110 token characters of a header name. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Headers Plinth sets itself (or that would change how the request is framed). */
const RESERVED = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'x-hook-signature']);

/** `Name: Value` lines as [name, value] pairs (blank lines skipped). */
export function parseAdditionalHeaders(text: string): [string, string][] {
  return text
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .map((line) => {
      const i = line.indexOf(':');
      return [line.slice(0, i).trim(), line.slice(i + 1).trim()];
    });
}

export function checkAdditionalHeaders(text: string): string | undefined {
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const i = line.indexOf(':');
    if (i <= 0) return `Each line must be "Name: Value" (got "${line.slice(0, 60)}").`;
    const name = line.slice(0, i).trim();
    if (!HEADER_NAME.test(name)) return `"${name.slice(0, 60)}" is not a valid header name.`;
    if (RESERVED.has(name.toLowerCase())) return `The ${name} header is set by Plinth.`;
    if (/[\0\r]/.test(line)) return 'Header values may not contain control characters.';
  }
  return undefined;
}
