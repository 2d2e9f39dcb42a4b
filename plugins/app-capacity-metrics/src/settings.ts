import { definePluginSettings, z, type SettingsOf } from '@plinth/plugin-sdk';

/** `plugins_config.capacity_metrics`, validated at start-up (a bad value stops it with one line). */
export const capacityMetricsSettings = definePluginSettings(
  'capacity_metrics',
  z
    .object({
      /**
       * How long one computation of every metric is served from memory (0: every scrape
       * computes). Scrapes every 15 s must not run the aggregate queries each time.
       */
      cache_ttl_seconds: z.number().int().min(0).max(86_400).default(300),
      /**
       * Most series one metric reports: the largest `max_series - 1` keep their labels, the rest
       * are summed into one series whose labels are all `other`.
       */
      max_series: z.number().int().min(2).max(100_000).default(200),
      /** Per-prefix series for IPv4 containers/networks of this length or shorter (/24 and wider). */
      prefix_max_length_ipv4: z.number().int().min(0).max(32).default(24),
      /** Per-prefix series for IPv6 containers/networks of this length or shorter. */
      prefix_max_length_ipv6: z.number().int().min(0).max(128).default(64),
    })
    .strict(),
);

export type CapacityMetricsSettings = SettingsOf<typeof capacityMetricsSettings>;
