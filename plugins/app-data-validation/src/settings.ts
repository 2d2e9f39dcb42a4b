import { definePluginSettings, z, type SettingsOf } from '@plinth/plugin-sdk';

/** `plugins_config.data_validation`, validated at start-up. */
export const dataValidationSettings = definePluginSettings(
  'data_validation',
  z.object({
    /**
     * Seconds a process keeps the enabled rules it read. Rules saved through a process apply there
     * at once; other processes (more servers, workers) see them within this many seconds.
     */
    rule_cache_ttl: z.number().min(0).max(3600).default(10),
    /** Violations kept per rule by the audit (the count is always exact). */
    audit_examples_per_rule: z.number().int().min(0).max(10000).default(200),
  }),
);

export type DataValidationSettings = SettingsOf<typeof dataValidationSettings>;
