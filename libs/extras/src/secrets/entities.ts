import { Entity, Unique } from 'typeorm';
import { BaseModel, Field, SECRETS_GROUP_ACCESS_TYPES, SECRETS_GROUP_SECRET_TYPES } from '@plinth/plugin-sdk';
import { PROVIDER_CHOICES } from './catalog';

/**
 * Nautobot's Secret: where a value is kept (a provider and its parameters), never the value.
 * Code that needs the value asks the SECRETS service, which asks the provider each time.
 */
@Entity('extras_secret')
export class Secret extends BaseModel {
  @Field.char({ max_length: 100, unique: true, search: true })
  name!: string;

  @Field.char({ max_length: 200, blank: true, search: true })
  description!: string;

  @Field.choice(PROVIDER_CHOICES, {
    max_length: 100,
    help_text: 'Where the value is read from: a built-in provider or one a plugin contributes.',
  })
  provider!: string;

  @Field.json({
    default: () => ({}),
    help_text:
      'The provider\'s parameters (`{"variable": "NAPALM_PASSWORD"}` for an environment variable, `{"path": "/run/secrets/x"}` for a file); never the value.',
  })
  parameters!: Record<string, string>;
}

@Entity('extras_secretsgroup')
export class SecretsGroup extends BaseModel {
  @Field.char({ max_length: 100, unique: true, search: true })
  name!: string;

  @Field.char({ max_length: 200, blank: true, search: true })
  description!: string;
}

/** One secret of a group, for one access type and secret type (HTTP(S) + token). */
@Entity('extras_secretsgroupassociation')
@Unique(['secrets_group', 'access_type', 'secret_type'])
export class SecretsGroupAssociation extends BaseModel {
  @Field.fk(() => SecretsGroup, { on_delete: 'CASCADE', label: 'Secrets group' })
  secrets_group!: SecretsGroup;

  @Field.choice(SECRETS_GROUP_ACCESS_TYPES, { max_length: 32, label: 'Access type' })
  access_type!: string;

  @Field.choice(SECRETS_GROUP_SECRET_TYPES, { max_length: 32, label: 'Secret type' })
  secret_type!: string;

  @Field.fk(() => Secret, { on_delete: 'PROTECT' })
  secret!: Secret;
}
