import { Column, Entity, Index } from 'typeorm';
import { BaseModel, Field, PERMISSION_ACTIONS, choices } from '@plinth/plugin-sdk';

/**
 * The users domain's entities. Their tables keep the `core_` prefix they were created with (the
 * kernel's first migration made them, and authentication reads them).
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
  /** The token's owner; the requesting user when omitted. */
  @Field.fk(() => User, { on_delete: 'CASCADE', related_name: 'tokens', default: () => null })
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
