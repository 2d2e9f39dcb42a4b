import { Entity, Index } from 'typeorm';
import { BaseModel, CoreModels, Field, type UserRecord } from '@plinth/plugin-sdk';

/** A note on any object with the `notes` feature (Nautobot's `extras.Note`). */
@Entity('extras_note')
@Index(['assigned_object_type', 'assigned_object_id'])
export class Note extends BaseModel {
  @Field.char({ max_length: 100, help_text: 'Object type of the annotated object: `dcim.device`.' })
  assigned_object_type!: string;

  @Field.uuid({ help_text: 'Id of the annotated object.' })
  assigned_object_id!: string;

  @Field.fk(CoreModels.user, {
    nullable: true,
    on_delete: 'SET_NULL',
    read_only: true,
    related_name: 'authored_notes',
    help_text: 'Author (set from the request).',
  })
  user!: UserRecord | null;

  @Field.char({ max_length: 150, blank: true, read_only: true, help_text: 'Author’s username when written.' })
  user_name!: string;

  @Field.text({ search: true, help_text: 'Markdown; shown with HTML escaped.' })
  note!: string;
}
