import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { Field, OrganizationalModel } from '@plinth/plugin-sdk';

@Entity('extras_tag')
export class Tag extends OrganizationalModel {
  @Field.char({ max_length: 100, unique: true, search: true })
  name!: string;

  @Field.color({ default: '9e9e9e' })
  color!: string;

  @Field.char({ max_length: 200, blank: true, search: true })
  description!: string;

  @Field.array({
    item: 'string',
    content_types: 'tags',
    help_text: 'Object types this tag may be applied to (empty: any).',
  })
  content_types!: string[];
}

/** Tag assignments of every taggable model, in one table (discriminated by content type). */
@Entity('extras_taggeditem')
@Unique(['object_id', 'tag_id', 'content_type'])
export class TaggedItem {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index()
  @Column({ type: 'uuid' })
  object_id!: string;

  @Column({ type: 'varchar', length: 100 })
  content_type!: string;

  @Index()
  @Column({ type: 'uuid' })
  tag_id!: string;

  @ManyToOne(() => Tag, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tag_id' })
  tag!: Tag;
}

@Entity('extras_status')
export class Status extends OrganizationalModel {
  @Field.char({ max_length: 100, unique: true, search: true })
  name!: string;

  @Field.color({ default: '9e9e9e' })
  color!: string;

  @Field.char({ max_length: 200, blank: true, search: true })
  description!: string;

  @Field.array({
    item: 'string',
    content_types: 'statuses',
    help_text: 'Object types this status applies to.',
  })
  content_types!: string[];
}

@Entity('extras_role')
export class Role extends OrganizationalModel {
  @Field.char({ max_length: 100, unique: true, search: true })
  name!: string;

  @Field.color({ default: '9e9e9e' })
  color!: string;

  @Field.char({ max_length: 200, blank: true, search: true })
  description!: string;

  @Field.int({
    nullable: true,
    min_value: 0,
    max_value: 32767,
    help_text: 'Ordering among roles (lower first).',
  })
  weight!: number | null;

  @Field.array({ item: 'string', content_types: 'roles', help_text: 'Object types this role applies to.' })
  content_types!: string[];
}
