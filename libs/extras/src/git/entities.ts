import { Entity } from 'typeorm';
import { BaseModel, Field } from '@plinth/plugin-sdk';
import { SecretsGroup } from '../secrets/entities';
import { CONTENT_CHOICES, providedContentsRefusal } from './catalog';
import { checkRemoteUrl } from './remote';

/**
 * Nautobot's GitRepository: a branch of a remote (http(s), or file:// for air-gapped mirrors)
 * synced into a checkout under PLINTH_GIT_ROOT by the `extras.sync_git_repository` job; the
 * content handlers it provides (export templates, plugins' contents) read the checkout.
 */
@Entity('extras_gitrepository')
export class GitRepository extends BaseModel {
  @Field.char({ max_length: 100, unique: true, search: true })
  name!: string;

  @Field.slug({ max_length: 100, unique: true })
  slug!: string;

  @Field.char({
    max_length: 255,
    label: 'Remote URL',
    search: true,
    help_text:
      'http://, https:// or file:// URL of the repository, without credentials (use a secrets group). Private addresses need PLINTH_GIT_ALLOWED_HOSTS, file:// paths PLINTH_GIT_FILE_ROOTS.',
    validate: (v) => checkRemoteUrl(String(v)),
  })
  remote_url!: string;

  @Field.char({
    max_length: 64,
    default: 'main',
    help_text: 'The branch synced.',
    validate: (v) =>
      /^(?!-)(?!.*\.\.)(?!.*\/\/)(?!.*@\{)[A-Za-z0-9._/-]+(?<![./])$/.test(String(v)) &&
      !String(v).endsWith('.lock')
        ? undefined
        : 'Enter a valid branch name.',
  })
  branch!: string;

  @Field.fk(() => SecretsGroup, {
    on_delete: 'SET_NULL',
    nullable: true,
    label: 'Secrets group',
    help_text: 'HTTP(S) credentials: a username and password, or a token (with an optional username).',
  })
  secrets_group!: SecretsGroup | null;

  @Field.array({
    item: 'string',
    item_choices: CONTENT_CHOICES,
    validate: providedContentsRefusal,
    label: 'Provided contents',
    help_text: 'What the repository holds, read after each sync.',
  })
  provided_contents!: string[];

  @Field.char({
    max_length: 48,
    blank: true,
    read_only: true,
    label: 'Current head',
    help_text: 'The commit of the last successful sync.',
  })
  current_head!: string;
}
