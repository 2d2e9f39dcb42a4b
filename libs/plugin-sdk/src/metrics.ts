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
  collect(): Promise<readonly MetricSample[]> | readonly MetricSample[];
}
export const Metrics = createRegistry<MetricDefinition>('metrics');
