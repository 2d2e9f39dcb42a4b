import { definePluginSettings, z, type SettingsOf } from '@plinth/plugin-sdk';

/** `plugins_config.circuit_maintenance`, validated at start-up. */
export const maintenanceSettings = definePluginSettings(
  'circuit_maintenance',
  z.object({
    /**
     * Which Plinth provider a notification belongs to: keys are a notification's provider
     * (BCOP X-MAINTNOTE-PROVIDER) or its sender's e-mail domain, values provider names.
     */
    provider_map: z.record(z.string(), z.string().min(1)).default({}),
    /**
     * The folder the "Ingest notification folder" job reads when it is given no folder (and the
     * root every folder given to the job must lie inside). Unset: the job needs none and reads
     * nothing.
     */
    notifications_folder: z.string().min(1).optional(),
    /** How many days ahead the upcoming-maintenance panels look. */
    upcoming_days: z.number().int().min(1).max(365).default(30),
  }),
);

export type MaintenanceSettings = SettingsOf<typeof maintenanceSettings>;
