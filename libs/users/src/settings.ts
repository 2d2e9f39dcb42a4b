import { definePluginSettings, z, type SettingsOf } from '@plinth/plugin-sdk';
import { ldapSettings, oidcSettings } from './sso/settings';

/** `plugins_config.users`: the password policy, what a password change revokes, SSO (OIDC, LDAP). */
export const usersSettings = definePluginSettings(
  'users',
  z.object({
    /** Django's MinimumLengthValidator. */
    password_min_length: z.number().int().min(1).default(8),
    /** Refuse the ~49,000 most common passwords (Django's CommonPasswordValidator). */
    password_reject_common: z.boolean().default(true),
    /** Refuse passwords too similar to the username, names or e-mail (UserAttributeSimilarityValidator). */
    password_reject_similar: z.boolean().default(true),
    /** Refuse entirely numeric passwords (NumericPasswordValidator). */
    password_reject_numeric: z.boolean().default(true),
    /** A password change (or deactivation) also deletes the user's API tokens; sessions always go. */
    revoke_tokens_on_password_change: z.boolean().default(false),
    /** OpenID Connect login (a button on the login page); unset: off. */
    oidc: oidcSettings.optional(),
    /** LDAP password login (after local users); unset: off. */
    ldap: ldapSettings.optional(),
  }),
);

export type UsersSettings = SettingsOf<typeof usersSettings>;

export const DEFAULT_USERS_SETTINGS: UsersSettings = {
  password_min_length: 8,
  password_reject_common: true,
  password_reject_similar: true,
  password_reject_numeric: true,
  revoke_tokens_on_password_change: false,
};
