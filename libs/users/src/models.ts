import { Group, ObjectPermission, Token, User } from './entities';
import {
  defineModel,
  generateTokenKey,
  hashPassword,
  hashTokenKey,
  isHashedPassword,
  sql,
  virtualField,
  type BatchContext,
} from '@plinth/plugin-sdk';
import { passwordProblems } from './passwords';
import { DEFAULT_USERS_SETTINGS, type UsersSettings } from './settings';

/** The policy in force (the plugin's settings, set when its module starts). */
export const passwordPolicy: { current: UsersSettings } = { current: DEFAULT_USERS_SETTINGS };

/**
 * After a password change or a deactivation: the user's sessions end (and, by the policy, their
 * API tokens are deleted), so whoever held the old password is logged out everywhere.
 */
async function revokeCredentials(ctx: BatchContext<User>): Promise<void> {
  const ids = ctx.records
    .filter((r, i) => {
      const before = ctx.before?.[i];
      return before && (r.password !== before.password || (before.is_active && !r.is_active));
    })
    .map((r) => String(r.id));
  if (ids.length === 0) return;
  await ctx.tx.query(sql`DELETE FROM "core_session" WHERE "user_id" = ANY(${ids}::uuid[])`);
  if (passwordPolicy.current.revoke_tokens_on_password_change) {
    const tokens = await ctx.tx.objects.find(tokenModel, { user: ids });
    if (tokens.length)
      await ctx.tx.objects.delete(
        tokenModel,
        tokens.map((t) => String(t.id)),
      );
  }
}

export const userModel = defineModel({
  entity: User,
  app_label: 'users',
  model: 'user',
  api_path: 'users',
  natural_key: ['username'],
  ordering: ['username'],
  display: 'username',
  features: ['graphql', 'custom_validators', 'changelog'],
  list_fields: ['username', 'email', 'first_name', 'last_name', 'is_active', 'is_superuser'],
  hooks: {
    // Passwords are checked against the policy, on every path that sets one (REST included), and
    // stored as scrypt hashes; the API never returns them, nor does the change log.
    async prepare(ctx) {
      const pw = ctx.record.password;
      if (ctx.changed('password') && typeof pw === 'string' && pw !== '' && !isHashedPassword(pw)) {
        const problems = passwordProblems(pw, ctx.record, passwordPolicy.current);
        for (const p of problems) ctx.error('password', p);
        if (problems.length === 0) ctx.record.password = await hashPassword(pw);
      }
    },
    afterUpdate: revokeCredentials,
  },
  rules: [
    (ctx) => {
      const name = ctx.record.username;
      if (typeof name === 'string' && !/^[\w.@+-]+$/.test(name)) {
        ctx.error(
          'username',
          'Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.',
        );
      }
    },
  ],
});

export const groupModel = defineModel({
  entity: Group,
  app_label: 'users',
  model: 'group',
  api_path: 'groups',
  features: ['graphql', 'changelog'],
});

export const tokenModel = defineModel({
  entity: Token,
  app_label: 'users',
  model: 'token',
  api_path: 'tokens',
  natural_key: ['key_prefix'],
  ordering: ['-created'],
  display: (t) => `${String(t.key_prefix)}… ${t.description ? `(${String(t.description)})` : ''}`.trim(),
  related_object: 'user',
  owner_field: 'user',
  features: ['graphql', 'changelog'],
  extra_fields: [
    virtualField({
      name: 'key',
      kind: 'string',
      write_only: true,
      max_length: 40,
      help_text: '40 hexadecimal characters; generated when omitted. Shown once, in the create response.',
    }),
  ],
  list_fields: ['key_prefix', 'user', 'description', 'write_enabled', 'expires', 'last_used'],
  hooks: {
    // Only a hash of the key is stored; the key itself appears once, in the create response.
    prepare(ctx) {
      if (ctx.action === 'create' && !ctx.record.user) {
        if (ctx.tx.user) ctx.record.user = ctx.tx.user.id as never;
        else ctx.error('user', 'This field is required.');
      }
      if (ctx.action === 'update') {
        if (ctx.record.key !== undefined && ctx.record.key !== null)
          ctx.error('key', 'A token key cannot be changed.');
        return;
      }
      const given = ctx.record.key;
      if (given !== undefined && given !== null && given !== '' && !/^[0-9a-fA-F]{40}$/.test(String(given))) {
        ctx.error('key', 'Token keys are 40 hexadecimal characters.');
        return;
      }
      const key = given ? String(given).toLowerCase() : generateTokenKey();
      ctx.record.key_hash = hashTokenKey(key);
      ctx.record.key_prefix = key.slice(0, 8);
      delete ctx.record.key;
      ctx.respond('key', key);
    },
  },
});

export const objectPermissionModel = defineModel({
  entity: ObjectPermission,
  app_label: 'users',
  model: 'objectpermission',
  verbose_name: 'permission',
  api_path: 'permissions',
  features: ['graphql', 'changelog'],
  list_fields: ['name', 'enabled', 'object_types', 'actions', 'users', 'groups'],
  rules: [
    (ctx) => {
      const actions = ctx.record.actions as string[];
      if (!actions || actions.length === 0) ctx.error('actions', 'At least one action must be selected.');
      const types = ctx.record.object_types as string[];
      if (!types || types.length === 0)
        ctx.error('object_types', 'At least one object type must be selected.');
      const c = ctx.record.constraints;
      if (
        c !== null &&
        c !== undefined &&
        (typeof c !== 'object' ||
          (Array.isArray(c) && c.some((x) => typeof x !== 'object' || x === null || Array.isArray(x))))
      ) {
        ctx.error(
          'constraints',
          'Constraints must be a JSON object (or a list of objects) of filter parameters.',
        );
      }
    },
  ],
});
