import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { choices, Field } from '../fields';
import { BaseModel } from './base';

/**
 * Platform entities owned by core (their migrations live in @plinth/core). They are here so that
 * plugins can reference them (e.g. a foreign key to a user) without importing core internals;
 * the users and extras built-in plugins expose them through the REST engine.
 */

@Entity('core_group')
export class Group extends BaseModel {
  @Field.char({ max_length: 150, unique: true, search: true })
  name!: string;
}

@Entity('core_user')
export class User extends BaseModel {
  @Field.char({
    max_length: 150,
    unique: true,
    search: true,
    help_text: 'Letters, digits and @/./+/-/_ only.',
  })
  username!: string;

  /** Stored as `scrypt$<salt>$<hash>`; never returned by the API. */
  @Field.password({ blank: true })
  password!: string;

  @Field.char({ max_length: 150, blank: true, search: true })
  first_name!: string;

  @Field.char({ max_length: 150, blank: true, search: true })
  last_name!: string;

  @Field.char({ max_length: 254, blank: true, search: true })
  email!: string;

  @Field.bool({ default: true, label: 'Active' })
  is_active!: boolean;

  @Field.bool({ default: false, label: 'Staff status' })
  is_staff!: boolean;

  @Field.bool({ default: false, label: 'Superuser status' })
  is_superuser!: boolean;

  @Field.datetime({ nullable: true, read_only: true })
  last_login!: Date | null;

  @Field.json({ default: () => ({}), label: 'Preferences' })
  config_data!: Record<string, unknown>;

  @Field.m2m(() => Group, {
    through: { table: 'core_user_groups', source: 'user_id', target: 'group_id' },
    related_name: 'users',
  })
  groups!: Group[];
}

@Entity('core_token')
export class Token extends BaseModel {
  @Field.fk(() => User, { on_delete: 'CASCADE', related_name: 'tokens' })
  user!: User;

  /** sha256 of the 40-hex key; the key itself is shown once, when the token is created. */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 64 })
  key_hash!: string;

  /** The key's first 8 characters, so users can tell tokens apart. */
  @Field.char({ max_length: 8, read_only: true, blank: true })
  key_prefix!: string;

  @Field.datetime({ nullable: true, help_text: 'The token stops working at this time.' })
  expires!: Date | null;

  @Field.datetime({ nullable: true, read_only: true })
  last_used!: Date | null;

  @Field.bool({ default: true, help_text: 'Permit create/update/delete operations using this token.' })
  write_enabled!: boolean;

  @Field.char({ max_length: 200, blank: true, search: true })
  description!: string;
}

export const PERMISSION_ACTIONS = ['view', 'add', 'change', 'delete'] as const;
export type PermissionAction = (typeof PERMISSION_ACTIONS)[number];

@Entity('core_objectpermission')
export class ObjectPermission extends BaseModel {
  @Field.char({ max_length: 100, unique: true, search: true })
  name!: string;

  @Field.char({ max_length: 200, blank: true, search: true })
  description!: string;

  @Field.bool({ default: true })
  enabled!: boolean;

  @Field.array({ item: 'string', content_types: true, label: 'Object types' })
  object_types!: string[];

  @Field.array({ item: 'string', item_choices: choices(PERMISSION_ACTIONS.map((a) => [a, a] as const)) })
  actions!: string[];

  /**
   * Filter parameters (as accepted by the model's list endpoint) that an object must match; a
   * list of such dicts is OR-ed. Null means every object of the type.
   */
  @Field.json({
    nullable: true,
    help_text: 'Queryset filter matching the applicable objects of the selected type(s)',
  })
  constraints!: Record<string, unknown> | Record<string, unknown>[] | null;

  @Field.m2m(() => User, {
    through: { table: 'core_objectpermission_users', source: 'objectpermission_id', target: 'user_id' },
    related_name: 'object_permissions',
  })
  users!: User[];

  @Field.m2m(() => Group, {
    through: { table: 'core_objectpermission_groups', source: 'objectpermission_id', target: 'group_id' },
    related_name: 'object_permissions',
  })
  groups!: Group[];
}

export const OBJECT_CHANGE_ACTIONS = choices([
  ['create', 'Created'],
  ['update', 'Updated'],
  ['delete', 'Deleted'],
]);

@Entity('core_objectchange')
@Index(['changed_object_type', 'changed_object_id'])
export class ObjectChange extends BaseModel {
  @Field.datetime({ read_only: true, index: true })
  time!: Date;

  @Field.fk(() => User, { nullable: true, on_delete: 'SET_NULL', read_only: true })
  user!: User | null;

  @Field.char({ max_length: 150, read_only: true, search: true })
  user_name!: string;

  @Field.uuid({ read_only: true, index: true })
  request_id!: string;

  @Field.choice(OBJECT_CHANGE_ACTIONS, { read_only: true })
  action!: string;

  @Field.char({ max_length: 100, read_only: true })
  changed_object_type!: string;

  @Field.uuid({ read_only: true })
  changed_object_id!: string;

  @Field.char({ max_length: 100, read_only: true, nullable: true })
  related_object_type!: string | null;

  @Field.uuid({ read_only: true, nullable: true })
  related_object_id!: string | null;

  @Field.char({ max_length: 200, read_only: true, search: true })
  object_repr!: string;

  @Field.choice(
    choices([
      ['api', 'API'],
      ['web', 'Web'],
      ['import', 'Import'],
      ['job', 'Job'],
      ['cli', 'CLI'],
      ['system', 'System'],
    ]),
    { read_only: true, max_length: 20 },
  )
  change_context!: string;

  @Field.json({ read_only: true, nullable: true })
  prechange_data!: Record<string, unknown> | null;

  @Field.json({ read_only: true, nullable: true })
  postchange_data!: Record<string, unknown> | null;

  /** Nautobot's field: the object after the change (before it, for deletions). */
  @Field.json({ read_only: true, nullable: true })
  object_data!: Record<string, unknown> | null;
}

/** Browser sessions for the web UI (not exposed through the REST engine). */
@Entity('core_session')
export class Session {
  /** sha256 of the cookie value. */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Index()
  @Column({ type: 'uuid' })
  user_id!: string;

  @Column({ type: 'varchar', length: 64 })
  csrf_token!: string;

  @Column({ type: 'timestamptz' })
  expires!: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  created!: Date;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  data!: Record<string, unknown>;
}

export const CORE_ENTITIES = [Group, User, Token, ObjectPermission, ObjectChange, Session];
