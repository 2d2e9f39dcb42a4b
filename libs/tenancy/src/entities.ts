import { Entity, Unique } from 'typeorm';
import { Field, OrganizationalModel, PrimaryModel } from '@plinth/plugin-sdk';

@Entity('tenancy_tenantgroup')
@Unique(['parent_id', 'name'])
export class TenantGroup extends OrganizationalModel {
  @Field.char({ max_length: 100, search: true })
  name!: string;

  @Field.fk(() => TenantGroup, { nullable: true, on_delete: 'CASCADE', related_name: 'children' })
  parent!: TenantGroup | null;

  @Field.char({ max_length: 200, blank: true, search: true })
  description!: string;
}

@Entity('tenancy_tenant')
export class Tenant extends PrimaryModel {
  @Field.char({ max_length: 100, unique: true, search: true })
  name!: string;

  @Field.fk(() => TenantGroup, { nullable: true, on_delete: 'PROTECT', related_name: 'tenants' })
  tenant_group!: TenantGroup | null;

  @Field.char({ max_length: 200, blank: true, search: true })
  description!: string;

  @Field.text({ blank: true })
  comments!: string;
}
