import { Entity } from 'typeorm';
import { CoreModels, Field, PrimaryModel, type UserRecord } from '@plinth/plugin-sdk';

/**
 * A user's nickname, kept in the plugin's own table and shown as `example_nickname` on users
 * (see ./extensions.ts): how a plugin adds a field to a core model.
 */
@Entity('example_nickname')
export class Nickname extends PrimaryModel {
  // A typed ref to a core model: makemigrations writes the foreign-key constraint.
  @Field.fk(CoreModels.user, { on_delete: 'CASCADE', unique: true, related_name: 'example_nickname' })
  user!: UserRecord;

  @Field.char({ max_length: 50, search: true })
  nickname!: string;
}
