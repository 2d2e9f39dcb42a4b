import { Entity } from 'typeorm';
import { CoreModels, Field, PrimaryModel, choices, type UserRecord } from '@plinth/plugin-sdk';
import { StatusField, type StatusRecord as Status } from '@plinth/plugin-sdk';

export const WIDGET_KINDS = choices([
  ['gadget', 'Gadget'],
  ['gizmo', 'Gizmo'],
  ['doohickey', 'Doohickey'],
]);

/** The example plugin's model: everything a plugin model gets from the platform. */
@Entity('example_widget')
export class Widget extends PrimaryModel {
  @Field.char({ max_length: 100, unique: true, search: true })
  name!: string;

  @Field.choice(WIDGET_KINDS, { default: 'gadget' })
  kind!: string;

  @StatusField()
  status!: Status;

  @Field.fk(CoreModels.user, {
    nullable: true,
    on_delete: 'SET_NULL',
    related_name: 'widgets',
    help_text: 'Who looks after it',
  })
  owner!: UserRecord | null;

  @Field.int({ default: 1, min_value: 0, max_value: 10000 })
  quantity!: number;

  @Field.text({ blank: true, search: true })
  description!: string;
}
