import { definePluginSettings, z, type SettingsOf } from '@plinth/plugin-sdk';

/** The built-in checks, by name (other plugins contribute more through `HealthChecks`). */
export const BUILTIN_CHECKS = ['database', 'redis', 'queue', 'migrations', 'disk'] as const;

/** `plugins_config.healthcheck`, validated at start-up. */
export const healthcheckSettings = definePluginSettings(
  'healthcheck',
  z.object({
    /** Checks not to run (built-in or contributed, by name): listed as skipped. */
    disabled_checks: z.array(z.string().regex(/^[a-z][a-z0-9_]*$/)).default([]),
    /** A check that has not answered after this many ms fails as timed out. */
    timeout_ms: z.number().int().min(10).max(120_000).default(5000),
    /**
     * Results are reused for this many seconds (0: every request runs the checks). Requests
     * arriving while a run is under way always share it: the public summary cannot be used to
     * pile up database writes.
     */
    cache_seconds: z.number().min(0).max(3600).default(2),
    disk: z
      .object({
        /** The Git checkouts folder's file system needs at least this much free space (MiB)... */
        min_free_mb: z.number().min(0).default(500),
        /** ...and at least this share of it free (percent). */
        min_free_percent: z.number().min(0).max(100).default(5),
      })
      .prefault({}),
    queue: z
      .object({
        /** More jobs waiting than this fails the queue check. */
        max_depth: z.number().int().min(0).default(1000),
        /** With Redis: fewer live worker heartbeats than this fails the queue check. */
        min_workers: z.number().int().min(0).default(1),
      })
      .prefault({}),
  }),
);

export type HealthcheckSettings = SettingsOf<typeof healthcheckSettings>;
