import { Injectable } from '@nestjs/common';
import {
  InjectRegistry,
  InjectSql,
  NotFoundError,
  Registry,
  SecretError,
  SecretsProviders,
  sql,
  type SecretsGroupValues,
  type SecretsProvider,
  type SecretsService,
  type SqlRunner,
} from '@plinth/plugin-sdk';
import { loadProviders, provider } from './catalog';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type SecretRow = {
  id: string;
  name: string;
  provider: string;
  parameters: Record<string, string>;
};

/**
 * The one door to secret values (the SDK's SECRETS). Values are read from the provider at each
 * call and handed to the caller only: nothing here stores, caches or logs them. A failure is a
 * SecretError (400) naming the secret and saying why, never the value.
 */
@Injectable()
export class SecretsServiceImpl implements SecretsService {
  constructor(
    @InjectSql() private readonly db: SqlRunner,
    @InjectRegistry(SecretsProviders) registry: Registry<SecretsProvider>,
  ) {
    loadProviders(registry);
  }

  private async secretRow(ref: string): Promise<SecretRow> {
    const where = UUID.test(ref) ? sql`"id" = ${ref}` : sql`"name" = ${ref}`;
    const [row] = await this.db.query<SecretRow>(
      sql`SELECT "id", "name", "provider", "parameters" FROM "extras_secret" WHERE ${where}`,
    );
    if (!row) throw new NotFoundError(`No secret ${ref}.`);
    return row;
  }

  private async retrieve(row: SecretRow, object?: Record<string, unknown> | null): Promise<string> {
    const p = provider(row.provider);
    if (!p)
      throw new SecretError(`Secret "${row.name}": no secrets provider "${row.provider}" is installed.`);
    try {
      return await p.get(row.parameters ?? {}, { secret: row.name, object: object ?? null });
    } catch (e) {
      if (e instanceof SecretError) throw e;
      // A provider's own error may quote what it read; only its kind is reported.
      throw new SecretError(`Secret "${row.name}": ${p.label} failed (${(e as Error).name || 'error'}).`);
    }
  }

  async value(secret: string, object?: Record<string, unknown> | null): Promise<string> {
    return this.retrieve(await this.secretRow(secret), object);
  }

  async group(ref: string): Promise<SecretsGroupValues> {
    const where = UUID.test(ref) ? sql`g."id" = ${ref}` : sql`g."name" = ${ref}`;
    const [group] = await this.db.query<{ id: string; name: string }>(
      sql`SELECT g."id", g."name" FROM "extras_secretsgroup" g WHERE ${where}`,
    );
    if (!group) throw new NotFoundError(`No secrets group ${ref}.`);
    const rows = await this.db.query<SecretRow & { access_type: string; secret_type: string }>(
      sql`SELECT s."id", s."name", s."provider", s."parameters", a."access_type", a."secret_type"
          FROM "extras_secretsgroupassociation" a JOIN "extras_secret" s ON s."id" = a."secret_id"
          WHERE a."secrets_group_id" = ${group.id}`,
    );
    const find = (access: string, type: string) =>
      rows.find((r) => r.access_type === access && r.secret_type === type);
    return {
      name: group.name,
      has: (access, type) => !!find(access, type),
      get: (access, type, object) => {
        const row = find(access, type);
        if (!row)
          return Promise.reject(
            new SecretError(`Secrets group "${group.name}" has no ${access} ${type} secret.`),
          );
        return this.retrieve(row, object);
      },
    };
  }
}
