import { Entity, Index, PrimaryColumn } from 'typeorm';
import { BaseModel, CoreModels, Field } from '@plinth/plugin-sdk';

/**
 * Config contexts and their schemas (Nautobot's `extras.ConfigContext`,
 * `extras.ConfigContextSchema`). They keep Nautobot's `extras` labels and REST paths, but live
 * in the dcim domain: their scopes point at locations, device types and platforms, whose tables
 * the extras domain (installed before dcim) cannot reference.
 */

/**
 * Who maintains a row: empty for users, or a data source (a Git repository) that owns it. Read-only
 * to clients: a data source's sync sets them (`syncConfigContexts`); users may not edit owned rows.
 */
const ownerContentType = () =>
  Field.char({
    max_length: 100,
    blank: true,
    read_only: true,
    help_text:
      'Object type of the data source that maintains this row (`extras.gitrepository`); empty: users.',
  });
const ownerObjectId = () =>
  Field.uuid({ nullable: true, read_only: true, help_text: 'Id of the owning data source.' });

@Entity('dcim_configcontextschema')
export class ConfigContextSchema extends BaseModel {
  @Field.char({ max_length: 200, unique: true, search: true })
  name!: string;

  @Field.char({ max_length: 200, blank: true, search: true })
  description!: string;

  @Field.json({
    help_text: 'A JSON Schema document (draft-07) the data must validate against.',
  })
  data_schema!: Record<string, unknown>;

  @ownerContentType()
  owner_content_type!: string;

  @ownerObjectId()
  owner_object_id!: string | null;
}

const through = (name: string, target: string) => ({
  table: `dcim_configcontext_${name}`,
  source: 'configcontext_id',
  target: `${target}_id`,
});

@Entity('dcim_configcontext')
export class ConfigContext extends BaseModel {
  @Field.char({ max_length: 100, unique: true, search: true })
  name!: string;

  @Field.int({
    default: 1000,
    min_value: 0,
    max_value: 32767,
    help_text: 'Contexts are merged by weight, then name: heavier ones override lighter ones.',
  })
  weight!: number;

  @Field.char({ max_length: 200, blank: true, search: true })
  description!: string;

  @Field.bool({ default: true, help_text: 'Only active contexts apply.' })
  is_active!: boolean;

  @Field.fk(() => ConfigContextSchema, {
    nullable: true,
    on_delete: 'PROTECT',
    related_name: 'config_contexts',
    help_text: 'Optional schema the data must validate against.',
  })
  config_context_schema!: ConfigContextSchema | null;

  @Field.json({ help_text: 'A JSON object deep-merged into the config context of the objects in scope.' })
  data!: Record<string, unknown>;

  @Field.m2m(CoreModels.location, {
    through: through('locations', 'location'),
    related_name: 'config_contexts',
    blank: true,
    help_text: 'Applies to objects at these locations or their descendants (empty: any).',
  })
  locations!: string[];

  @Field.m2m(CoreModels.role, {
    through: through('roles', 'role'),
    related_name: 'config_contexts',
    blank: true,
    help_text: 'Applies to objects with these roles (empty: any).',
  })
  roles!: string[];

  @Field.m2m(CoreModels.deviceType, {
    through: through('device_types', 'devicetype'),
    related_name: 'config_contexts',
    blank: true,
    label: 'Device types',
    help_text: 'Applies to devices of these types (empty: any).',
  })
  device_types!: string[];

  @Field.m2m(CoreModels.platform, {
    through: through('platforms', 'platform'),
    related_name: 'config_contexts',
    blank: true,
    help_text: 'Applies to objects on these platforms (empty: any).',
  })
  platforms!: string[];

  @Field.m2m(CoreModels.tenantGroup, {
    through: through('tenant_groups', 'tenantgroup'),
    related_name: 'config_contexts',
    blank: true,
    label: 'Tenant groups',
    help_text: 'Applies to objects whose tenant is in these groups or their descendants (empty: any).',
  })
  tenant_groups!: string[];

  @Field.m2m(CoreModels.tenant, {
    through: through('tenants', 'tenant'),
    related_name: 'config_contexts',
    blank: true,
    help_text: 'Applies to objects of these tenants (empty: any).',
  })
  tenants!: string[];

  @Field.m2m(CoreModels.tag, {
    through: through('tags', 'tag'),
    related_name: 'config_contexts',
    blank: true,
    help_text: 'Applies to objects with any of these tags (empty: any).',
  })
  tags!: string[];

  // Virtualization's models, by label (it depends on dcim; its migration adds these constraints).
  @Field.m2m('virtualization.clustergroup', {
    through: through('cluster_groups', 'clustergroup'),
    related_name: 'config_contexts',
    blank: true,
    label: 'Cluster groups',
    help_text: 'Applies to objects whose cluster is in these groups (empty: any).',
  })
  cluster_groups!: string[];

  @Field.m2m('virtualization.cluster', {
    through: through('clusters', 'cluster'),
    related_name: 'config_contexts',
    blank: true,
    help_text: 'Applies to virtual machines and host devices of these clusters (empty: any).',
  })
  clusters!: string[];

  @ownerContentType()
  owner_content_type!: string;

  @ownerObjectId()
  owner_object_id!: string | null;
}

/** The scope join tables (their foreign keys are written by makemigrations from the fields). */
function scopeTable(name: string, target: string) {
  const column = `${target}_id`;
  @Entity(`dcim_configcontext_${name}`)
  class Scope {
    @PrimaryColumn({ type: 'uuid' })
    configcontext_id!: string;

    @Index()
    @PrimaryColumn({ type: 'uuid', name: column })
    target_id!: string;
  }
  Object.defineProperty(Scope, 'name', { value: `ConfigContextScope_${name}` });
  return Scope;
}

export const CONFIG_CONTEXT_SCOPE_TABLES = [
  scopeTable('locations', 'location'),
  scopeTable('roles', 'role'),
  scopeTable('device_types', 'devicetype'),
  scopeTable('platforms', 'platform'),
  scopeTable('tenant_groups', 'tenantgroup'),
  scopeTable('tenants', 'tenant'),
  scopeTable('tags', 'tag'),
  scopeTable('cluster_groups', 'clustergroup'),
  scopeTable('clusters', 'cluster'),
];
