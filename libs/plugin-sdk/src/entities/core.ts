import { Entity, Index } from 'typeorm';
import { choices, Field } from '../fields';
import { BaseModel } from './base';
import { CoreModels, type UserRecord } from '../core-models';

/**
 * The change log's record, written by the kernel's write path and read by anyone with `view`
 * on it (the extras domain serves it). Users, groups, tokens and permissions belong to the users
 * domain (@plinth/users): plugins point at them with `CoreModels.user` and friends.
 */

/** `run` and `approve` are the jobs' own actions (Nautobot's `extras.run_job`, `approve_job`). */
export const PERMISSION_ACTIONS = ['view', 'add', 'change', 'delete', 'run', 'approve'] as const;
export type PermissionAction = (typeof PERMISSION_ACTIONS)[number];

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

  @Field.fk(CoreModels.user, { nullable: true, on_delete: 'SET_NULL', read_only: true })
  user!: UserRecord | null;

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
