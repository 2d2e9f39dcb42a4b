import { Column } from 'typeorm';
import { Field } from '../fields';

/** Every Plinth model: a uuid primary key and created/last_updated timestamps. */
export abstract class BaseModel {
  @Field.primaryKey()
  id!: string;

  @Field.datetime({ read_only: true, default: () => new Date() })
  created!: Date;

  @Field.datetime({ read_only: true, default: () => new Date() })
  last_updated!: Date;
}

/**
 * Models users create and maintain (devices, prefixes, widgets). Carries the custom-field data
 * column so the custom fields feature needs no per-table migration.
 */
export abstract class PrimaryModel extends BaseModel {
  @Column({ type: 'jsonb', default: () => "'{}'" })
  _custom_field_data!: Record<string, unknown>;
}

/** Organisational models (manufacturers, roles, tenants groups); same storage as PrimaryModel. */
export abstract class OrganizationalModel extends PrimaryModel {}
