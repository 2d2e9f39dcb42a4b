import { Inject, Injectable } from '@nestjs/common';
import { Client, InvalidCredentialsError, type Entry } from 'ldapts';
import type { AuthUser, PasswordBackend } from '@plinth/plugin-sdk';
import { usersSettings, type UsersSettings } from '../settings';
import { ExternalAccounts } from './accounts';
import { escapeDnValue, escapeFilterValue, fillTemplate, normalizeDn } from './ldap-escape';
import type { LdapSettings } from './settings';

/** Bound to when the user search finds nobody, so a miss costs a bind as a hit does. */
const ABSENT_DN = 'cn=plinth-absent-user';

function first(entry: Entry, attribute: string): string | undefined {
  const v = entry[attribute];
  const one = Array.isArray(v) ? v[0] : v;
  return one === undefined ? undefined : one.toString();
}

function all(entry: Entry, attribute: string): string[] {
  const v = entry[attribute];
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).map((x) => x.toString());
}

/**
 * LDAP password login (ldapts): find the user (service-account search or a DN template), bind as
 * them with the password, read their groups (a group search or `memberOf`), then create or update
 * the Plinth user. Core asks this after the local password, inside the same lockout.
 */
@Injectable()
export class LdapLogin implements PasswordBackend {
  readonly name = 'LDAP';

  constructor(
    @usersSettings.inject() private readonly settings: UsersSettings,
    @Inject(ExternalAccounts) private readonly accounts: ExternalAccounts,
  ) {}

  async authenticate(username: string, password: string): Promise<AuthUser | null> {
    const ldap = this.settings.ldap;
    // An empty password would be an anonymous ("unauthenticated") bind that succeeds.
    if (!ldap || !username || !password) return null;
    const client = new Client({ url: ldap.url, timeout: ldap.timeout_ms, connectTimeout: ldap.timeout_ms });
    try {
      if (ldap.start_tls) await client.startTLS({});
      const entry = await this.verify(client, ldap, username, password);
      if (!entry) return null;
      const groups = await this.groups(client, ldap, entry, username);
      const result = await this.accounts.sync(
        {
          username: first(entry, ldap.attributes.username) ?? username,
          email: first(entry, ldap.attributes.email) ?? '',
          first_name: first(entry, ldap.attributes.first_name) ?? '',
          last_name: first(entry, ldap.attributes.last_name) ?? '',
          groups,
        },
        ldap,
        normalizeDn,
      );
      return result.ok ? result.user : null;
    } finally {
      await client.unbind().catch(() => undefined);
    }
  }

  /** The user's entry when the password is right; null otherwise. */
  private async verify(
    client: Client,
    ldap: LdapSettings,
    username: string,
    password: string,
  ): Promise<Entry | null> {
    const attributes = ['dn', ...Object.values(ldap.attributes), 'memberOf'];
    let dn: string;
    let found: Entry | undefined;
    if (ldap.user_search_base) {
      if (ldap.bind_dn) await client.bind(ldap.bind_dn, ldap.bind_password ?? '');
      const { searchEntries } = await client.search(ldap.user_search_base, {
        scope: 'sub',
        filter: fillTemplate(ldap.user_search_filter, { username }, escapeFilterValue),
        attributes,
        sizeLimit: 2,
      });
      if (searchEntries.length !== 1) {
        await this.bindFails(client, ABSENT_DN, password);
        return null;
      }
      found = searchEntries[0];
      dn = found.dn;
    } else {
      dn = fillTemplate(ldap.user_dn_template!, { username }, escapeDnValue);
    }
    if (await this.bindFails(client, dn, password)) return null;
    if (found) return found;
    // A template bind has not seen the entry yet: read it as the user.
    const { searchEntries } = await client.search(dn, {
      scope: 'base',
      filter: '(objectClass=*)',
      attributes,
    });
    return searchEntries[0] ?? null;
  }

  /** Bind; true when the directory refuses the credentials. */
  private async bindFails(client: Client, dn: string, password: string): Promise<boolean> {
    try {
      await client.bind(dn, password);
      return false;
    } catch (e) {
      if (e instanceof InvalidCredentialsError) return true;
      throw e;
    }
  }

  private async groups(
    client: Client,
    ldap: LdapSettings,
    entry: Entry,
    username: string,
  ): Promise<string[]> {
    if (!ldap.group_search_base) return all(entry, 'memberOf');
    // Searched as the service account when there is one (the user may not read groups).
    if (ldap.bind_dn) await client.bind(ldap.bind_dn, ldap.bind_password ?? '');
    const { searchEntries } = await client.search(ldap.group_search_base, {
      scope: 'sub',
      filter: fillTemplate(ldap.group_search_filter, { user_dn: entry.dn, username }, escapeFilterValue),
      attributes: ['dn'],
    });
    return searchEntries.map((g) => g.dn);
  }
}
