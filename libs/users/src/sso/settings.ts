import { z } from '@plinth/plugin-sdk';

/** External group (OIDC claim value or LDAP group DN) → the Plinth group names it grants. */
const groupMap = z.record(z.string(), z.union([z.string(), z.array(z.string())])).default({});

/** What the identity provider decides about a user beyond their identity. */
const accountRules = {
  /** Create a Plinth user at first login (just-in-time); off: only existing users may log in. */
  create_users: z.boolean().default(true),
  group_map: groupMap,
  /** Members of any of these external groups are superusers, everyone else is not (empty: left alone). */
  superuser_groups: z.array(z.string()).default([]),
  /** Likewise for staff status. */
  staff_groups: z.array(z.string()).default([]),
};

/** `plugins_config.users.oidc`: OpenID Connect login (authorization code flow with PKCE). */
export const oidcSettings = z.object({
  /** The button says "Log in with <name>". */
  name: z.string().min(1).default('SSO'),
  /** The provider's issuer URL; its metadata is discovered from `/.well-known/openid-configuration`. */
  issuer: z.string().url(),
  client_id: z.string().min(1),
  client_secret: z.string().optional(),
  /** Registered redirect URL; default `<PLINTH_BASE_URL or the request's origin>/users/oidc/callback/`. */
  redirect_url: z.string().url().optional(),
  scopes: z.string().default('openid profile email'),
  /** Which claims (of the ID token and userinfo) carry the user's attributes and groups. */
  claims: z
    .object({
      username: z.string().default('preferred_username'),
      email: z.string().default('email'),
      first_name: z.string().default('given_name'),
      last_name: z.string().default('family_name'),
      groups: z.string().default('groups'),
    })
    .prefault({}),
  /** Plain-HTTP issuers (a test provider on loopback); never for a real one. */
  allow_http: z.boolean().default(false),
  ...accountRules,
});
export type OidcSettings = z.infer<typeof oidcSettings>;

/** `plugins_config.users.ldap`: username/password logins checked against a directory. */
export const ldapSettings = z
  .object({
    /** `ldap://host:389` or `ldaps://host:636`. */
    url: z.string().regex(/^ldaps?:\/\//, 'must start with ldap:// or ldaps://'),
    start_tls: z.boolean().default(false),
    /** Service account for the user search (omit for an anonymous search). */
    bind_dn: z.string().optional(),
    bind_password: z.string().optional(),
    /** Search the user below this base with `user_search_filter` ... */
    user_search_base: z.string().optional(),
    /** `{username}` is replaced by the escaped login name (RFC 4515). */
    user_search_filter: z.string().default('(uid={username})'),
    /** ... or bind directly as this DN (`uid={username},ou=people,dc=example,dc=org`, RFC 4514-escaped). */
    user_dn_template: z.string().optional(),
    /** Directory attributes of the user's Plinth attributes. */
    attributes: z
      .object({
        username: z.string().default('uid'),
        email: z.string().default('mail'),
        first_name: z.string().default('givenName'),
        last_name: z.string().default('sn'),
      })
      .prefault({}),
    /** Groups: searched below this base with `group_search_filter`; unset: the user's `memberOf`. */
    group_search_base: z.string().optional(),
    /** `{user_dn}` and `{username}` are replaced by escaped values. */
    group_search_filter: z.string().default('(&(objectClass=groupOfNames)(member={user_dn}))'),
    timeout_ms: z.number().int().min(100).default(5000),
    ...accountRules,
  })
  .refine((s) => !!s.user_search_base !== !!s.user_dn_template, {
    message: 'set exactly one of user_search_base and user_dn_template',
  });
export type LdapSettings = z.infer<typeof ldapSettings>;
