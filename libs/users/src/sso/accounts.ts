import { Inject, Injectable } from '@nestjs/common';
import {
  OBJECTS,
  toAuthUser,
  type AuthUser,
  type ObjectsService,
  type TransactionContext,
} from '@plinth/plugin-sdk';
import { groupModel, userModel } from '../models';

/** Who an identity provider or directory says the user is. */
export interface ExternalIdentity {
  username: string;
  email?: string;
  first_name?: string;
  last_name?: string;
  /** External group names (OIDC claim values, LDAP group DNs). */
  groups: readonly string[];
}

/** How external groups become Plinth groups and flags (the `oidc`/`ldap` settings' shared part). */
export interface AccountRules {
  create_users: boolean;
  group_map: Readonly<Record<string, string | readonly string[]>>;
  superuser_groups: readonly string[];
  staff_groups: readonly string[];
}

export type SyncResult =
  | { ok: true; user: AuthUser }
  /** No Plinth user of that name and just-in-time creation is off. */
  | { ok: false; reason: 'unknown' }
  | { ok: false; reason: 'inactive' };

/**
 * Just-in-time users for external logins. Each login brings the user's name, e-mail and mapped
 * groups up to date through the one write path (so it is validated and change-logged as any
 * other user change). Only the Plinth groups named in `group_map` are managed: a user keeps the
 * groups an administrator gave them by hand.
 */
@Injectable()
export class ExternalAccounts {
  constructor(@Inject(OBJECTS) private readonly objects: ObjectsService) {}

  async sync(
    identity: ExternalIdentity,
    rules: AccountRules,
    normalize = (g: string) => g,
  ): Promise<SyncResult> {
    return this.objects.transaction(async (tx) => this.syncIn(tx, identity, rules, normalize), {
      user: null,
      source: 'system',
      trusted: true,
    });
  }

  private async syncIn(
    tx: TransactionContext,
    identity: ExternalIdentity,
    rules: AccountRules,
    normalize: (g: string) => string,
  ): Promise<SyncResult> {
    const [existing] = await tx.objects.find(userModel, { username: identity.username }, { limit: 1 });
    if (!existing && !rules.create_users) return { ok: false, reason: 'unknown' };
    if (existing && !existing.is_active) return { ok: false, reason: 'inactive' };

    const external = new Set(identity.groups.map(normalize));
    const member = (list: readonly string[]) => list.some((g) => external.has(normalize(g)));
    const granted = new Set<string>();
    const managed = new Set<string>();
    for (const [group, targets] of Object.entries(rules.group_map)) {
      const names = typeof targets === 'string' ? [targets] : targets;
      for (const name of names) {
        managed.add(name);
        if (external.has(normalize(group))) granted.add(name);
      }
    }
    const groupIds = await this.groupIds(tx, [...managed], granted);
    const managedIds = new Set(groupIds.values());
    const keep = ((existing?.groups ?? []) as string[]).filter((id) => !managedIds.has(id));
    const groups = [...new Set([...keep, ...[...granted].map((n) => groupIds.get(n)!)])];

    const wanted: Record<string, unknown> = {
      ...(identity.email !== undefined ? { email: identity.email } : {}),
      ...(identity.first_name !== undefined ? { first_name: identity.first_name } : {}),
      ...(identity.last_name !== undefined ? { last_name: identity.last_name } : {}),
      ...(rules.superuser_groups.length ? { is_superuser: member(rules.superuser_groups) } : {}),
      ...(rules.staff_groups.length ? { is_staff: member(rules.staff_groups) } : {}),
      groups,
    };
    if (!existing) {
      // No password: the user logs in through the identity provider only.
      const [created] = await tx.objects.create(userModel, [
        { username: identity.username, password: '', ...wanted },
      ]);
      return { ok: true, user: toAuthUser(created) };
    }
    // Only what changed, so a login without news writes (and logs) nothing.
    const before = existing as unknown as Record<string, unknown>;
    const changes = Object.fromEntries(
      Object.entries(wanted).filter(([k, v]) =>
        k === 'groups' ? !sameSet(v as string[], (before.groups ?? []) as string[]) : before[k] !== v,
      ),
    );
    if (Object.keys(changes).length === 0) return { ok: true, user: toAuthUser(existing) };
    const [updated] = await tx.objects.update(userModel, [{ id: existing.id, ...changes }]);
    return { ok: true, user: toAuthUser(updated) };
  }

  /** Ids of the managed Plinth groups by name; granted groups that do not exist yet are created. */
  private async groupIds(
    tx: TransactionContext,
    names: string[],
    granted: ReadonlySet<string>,
  ): Promise<Map<string, string>> {
    const ids = new Map<string, string>();
    if (!names.length) return ids;
    for (const g of await tx.objects.find(groupModel, { name: names })) ids.set(g.name, g.id);
    const missing = [...granted].filter((n) => !ids.has(n));
    if (missing.length) {
      for (const g of await tx.objects.create(
        groupModel,
        missing.map((name) => ({ name })),
      ))
        ids.set(g.name, g.id);
    }
    return ids;
  }
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const s = new Set(b);
  return a.length === s.size && a.every((x) => s.has(x));
}
