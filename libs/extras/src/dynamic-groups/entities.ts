import { Entity, Index, Unique } from 'typeorm';
import { BaseModel, Field, choices, type Rec } from '@plinth/plugin-sdk';

/** How a group's members are defined (Nautobot 2.3's `group_type`). */
export const GROUP_TYPES = choices({
  'dynamic-filter': 'Filter-defined',
  'dynamic-set': 'Group of groups',
  static: 'Static assignment',
});

/** How a child group's members combine with the parent's so far (in weight order). */
export const GROUP_OPERATORS = choices({
  union: 'Include (OR)',
  intersection: 'Restrict (AND)',
  difference: 'Exclude (NOT)',
});

/**
 * Objects of one model collected by a filter (the list endpoint's filter vocabulary), by set
 * operations on other groups, or by static assignment (Nautobot's `extras.DynamicGroup`).
 * Membership is computed in SQL when asked for, never cached, so a group used as a permission
 * constraint is never stale.
 */
@Entity('extras_dynamicgroup')
export class DynamicGroup extends BaseModel {
  @Field.char({ max_length: 100, unique: true, search: true })
  name!: string;

  @Field.char({ max_length: 200, blank: true, search: true })
  description!: string;

  @Field.char({
    max_length: 100,
    label: 'Content type',
    help_text: 'Model of the members: `dcim.device`. Cannot change once the group has members or children.',
  })
  content_type!: string;

  @Field.choice(GROUP_TYPES, { default: 'dynamic-filter', max_length: 16 })
  group_type!: string;

  @Field.json({
    default: () => ({}),
    help_text:
      'Filter parameters of the content type’s list endpoint, e.g. {"status": ["active"], "location": ["ams01"]}; {} matches every object (filter-defined groups only).',
  })
  filter!: Record<string, unknown>;
}

/** A child group of a group-of-groups, combined with `operator` in `weight` order. */
@Entity('extras_dynamicgroupmembership')
@Unique(['parent_group', 'group', 'operator', 'weight'])
export class DynamicGroupMembership extends BaseModel {
  @Field.fk(() => DynamicGroup, { on_delete: 'CASCADE', related_name: 'dynamic_group_memberships' })
  parent_group!: Rec;

  @Field.fk(() => DynamicGroup, {
    on_delete: 'PROTECT',
    label: 'Group',
    related_name: 'parent_memberships',
    help_text: 'The child group.',
  })
  group!: Rec;

  @Field.choice(GROUP_OPERATORS, { max_length: 12 })
  operator!: string;

  @Field.int({ default: 10, min_value: 0, max_value: 32767 })
  weight!: number;
}

/** One object statically assigned to a static group (Nautobot's `extras.StaticGroupAssociation`). */
@Entity('extras_staticgroupassociation')
@Unique(['dynamic_group', 'associated_object_type', 'associated_object_id'])
@Index(['associated_object_type', 'associated_object_id'])
export class StaticGroupAssociation extends BaseModel {
  @Field.fk(() => DynamicGroup, { on_delete: 'CASCADE', related_name: 'static_group_associations' })
  dynamic_group!: Rec;

  @Field.char({ max_length: 100, help_text: 'Model of the object: the group’s content type.' })
  associated_object_type!: string;

  @Field.uuid({ help_text: 'Id of the object.' })
  associated_object_id!: string;
}
