/** A sample of the Prometheus text format, labels unescaped. */
export interface Series {
  labels: Record<string, string>;
  value: number;
}

const unescape = (v: string) => v.replace(/\\(.)/g, (_m, c: string) => (c === 'n' ? '\n' : c));

/**
 * The samples of metric `name` in an exposition text, sorted by their labels (a test's reader
 * of `/metrics`; label values as the client meant them, after the format's escaping).
 */
export function seriesOf(text: string, name: string): Series[] {
  const out: Series[] = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
      labels[l[1]] = unescape(l[2]);
    out.push({ labels, value: Number(m[3]) });
  }
  return out.sort((a, b) => JSON.stringify(a.labels).localeCompare(JSON.stringify(b.labels)));
}

/** The value of the metric's only series (a metric without labels). */
export function valueOf(text: string, name: string): number | undefined {
  return seriesOf(text, name)[0]?.value;
}
