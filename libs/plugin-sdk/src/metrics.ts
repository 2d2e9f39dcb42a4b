import { createRegistry } from './registry';

/** One value of a plugin metric, with its label values. */
export interface MetricSample {
  labels?: Readonly<Record<string, string>>;
  value: number;
}

/**
 * A Prometheus metric contributed by a plugin, read when `/metrics` is scraped (pull: the plugin
 * keeps its own numbers and reports them here). Contributions of a plugin exist only while it is
 * enabled, so its metrics disappear with it.
 */
export interface MetricDefinition {
  /** `<plugin>_<name>` (snake case); a name without the plugin's prefix stops start-up. */
  name: string;
  help: string;
  /** `counter` values only grow; `gauge` values go up and down. */
  type: 'counter' | 'gauge';
  labelNames?: readonly string[];
  /**
   * How the values of a host's server processes (PLINTH_WORKERS) combine on `/metrics`:
   * `sum` (default) for numbers each process keeps itself, `first` for numbers read from the
   * database or Redis, the same in every process; `min`, `max`, `average` as named.
   */
  aggregate?: 'sum' | 'first' | 'min' | 'max' | 'average';
  collect(): Promise<readonly MetricSample[]> | readonly MetricSample[];
}
export const Metrics = createRegistry<MetricDefinition>('metrics');

/** The label value every label of the summed series takes when `boundSeries` caps a metric. */
export const OTHER_SERIES = 'other';

/**
 * Cap a metric's number of series (label cardinality a Prometheus server can afford): when
 * `rows` has more than `max` label sets, the `max - 1` ranked highest (`rank`, default the
 * sample value; ties by label values) keep their labels and the rest become one series whose
 * every label is `other`, built by `merge` (default: the values summed). A kept row whose labels
 * are all `other` already is merged into that series too. Rows keep their order of rank.
 *
 * `boundSeries(samples, 100)` for plain counts; pass `rank` and `merge` for rows carrying
 * several numbers (used and size of a prefix: rank by size, sum both, recompute the ratio).
 */
export function boundSeries<T extends MetricSample>(
  rows: readonly T[],
  max: number,
  opts: {
    labelNames: readonly string[];
    rank?: (row: T) => number;
    merge?: (rest: readonly T[], labels: Readonly<Record<string, string>>) => T;
  },
): T[] {
  if (!Number.isInteger(max) || max < 2)
    throw new Error(`boundSeries: max must be an integer >= 2, got ${max}`);
  const rank = opts.rank ?? ((r: T) => r.value);
  const key = (r: T) => opts.labelNames.map((n) => r.labels?.[n] ?? '').join('\u0000');
  const ordered = [...rows].sort(
    (a, b) => rank(b) - rank(a) || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0),
  );
  if (ordered.length <= max) return ordered;
  const otherLabels = Object.fromEntries(opts.labelNames.map((n) => [n, OTHER_SERIES]));
  const isOther = (r: T) => opts.labelNames.every((n) => r.labels?.[n] === OTHER_SERIES);
  const kept = ordered.filter((r) => !isOther(r)).slice(0, max - 1);
  const rest = ordered.filter((r) => !kept.includes(r));
  const merge =
    opts.merge ??
    ((list: readonly T[], labels: Readonly<Record<string, string>>) =>
      ({ labels, value: list.reduce((sum, r) => sum + r.value, 0) }) as T);
  return [...kept, merge(rest, otherLabels)];
}
