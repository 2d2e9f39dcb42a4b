import { Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { sql, type SqlRunner } from '@plinth/plugin-sdk';

/**
 * Which Plinth object each imported NetBox object became. It makes a second run an update (or
 * nothing) instead of a duplicate, and lets a run interrupted half-way carry on: an object and
 * its row here are written in the same transaction.
 */
@Entity('netbox_import_objectmap')
@Unique(['source', 'netbox_model', 'netbox_pk'])
export class ImportedObject {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Names the NetBox instance (`--source-name`), so two instances' pks never meet. */
  @Column({ type: 'varchar', length: 100 })
  source!: string;

  @Column({ type: 'varchar', length: 100 })
  netbox_model!: string;

  @Column({ type: 'varchar', length: 64 })
  netbox_pk!: string;

  @Column({ type: 'varchar', length: 100 })
  object_type!: string;

  @Column({ type: 'uuid' })
  object_id!: string;

  /**
   * The NetBox object was found to be one Plinth already had (a user of the same name, a role
   * two NetBox role models share) and is left as it is: later runs do not update it either.
   */
  @Column({ type: 'boolean', default: false })
  merged!: boolean;
}

/** `dcim.site` → pk → Plinth id, loaded once and kept in step with the rows written. */
export class ObjectMap {
  private readonly byModel = new Map<string, Map<string, string>>();
  private readonly mergedIds = new Set<string>();
  private readonly targets = new Map<string, string>();

  constructor(readonly source: string) {}

  async load(db: SqlRunner): Promise<void> {
    const rows = await db.query<{
      netbox_model: string;
      netbox_pk: string;
      object_id: string;
      merged: boolean;
    }>(
      sql`SELECT netbox_model, netbox_pk, object_id, merged FROM netbox_import_objectmap WHERE source = ${this.source}`,
    );
    for (const r of rows) {
      this.models(r.netbox_model).set(r.netbox_pk, r.object_id);
      if (r.merged) this.mergedIds.add(`${r.netbox_model}:${r.netbox_pk}`);
    }
  }

  /** The Plinth label a NetBox model's objects became (generic references name it). */
  setTarget(model: string, label: string): void {
    if (!this.targets.has(model)) this.targets.set(model, label);
  }

  targetOf(model: string): string | undefined {
    return this.targets.get(model);
  }

  get(model: string, pk: string): string | undefined {
    return this.byModel.get(model)?.get(pk);
  }

  /** Record new pairs (inside the transaction that wrote the objects). */
  async add(
    db: SqlRunner,
    model: string,
    objectType: string,
    pairs: readonly [string, string][],
    merged = false,
  ): Promise<void> {
    if (pairs.length === 0) return;
    const values = pairs.map(
      ([pk, id]) => sql`(${this.source}, ${model}, ${pk}, ${objectType}, ${id}::uuid, ${merged})`,
    );
    await db.query(
      sql`INSERT INTO netbox_import_objectmap (source, netbox_model, netbox_pk, object_type, object_id, merged)
          VALUES ${sql.join(values)}
          ON CONFLICT (source, netbox_model, netbox_pk)
          DO UPDATE SET object_id = EXCLUDED.object_id, merged = EXCLUDED.merged`,
    );
  }

  /** Whether the object was merged into one Plinth had (left as it is). */
  merged(model: string, pk: string): boolean {
    return this.mergedIds.has(`${model}:${pk}`);
  }

  /** After the writes commit (a rolled-back batch must not leave pairs behind). */
  remember(model: string, pairs: readonly [string, string][], merged = false): void {
    const m = this.models(model);
    for (const [pk, id] of pairs) {
      m.set(pk, id);
      if (merged) this.mergedIds.add(`${model}:${pk}`);
    }
  }

  private models(model: string): Map<string, string> {
    let m = this.byModel.get(model);
    if (!m) this.byModel.set(model, (m = new Map()));
    return m;
  }
}
