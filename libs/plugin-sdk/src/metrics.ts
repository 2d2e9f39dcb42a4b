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
