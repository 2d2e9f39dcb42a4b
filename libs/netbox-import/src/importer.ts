import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import {
  ValidationError,
  type FieldErrors,
  type ObjectsApi,
  type ObjectsService,
  type ReadService,
  type SqlRunner,
  type WriteOptions,
} from '@plinth/plugin-sdk';
import {
  COMMON_FIELDS,
  MappingError,
  Skip,
  statusName,
  type MapContext,
  type ModelMapping,
  type PlinthInput,
  type SiteGroupMode,
  type SkippedModel,
} from './mapping';
import { ObjectMap } from './object-map';
import { rowsBy, rowsOf, type NetboxData, type NetboxRow } from './source/types';
import { sameInput } from './compare';
import { checkCablePaths, type PathCheck } from './verify/cable-paths';

export interface ImportOptions {
  /** Names the NetBox instance in the object map (two instances never share pks). */
  sourceName: string;
  /** Report what would happen; nothing is kept. */
  dryRun: boolean;
  /** What site groups become (default `drop`). */
  siteGroups?: SiteGroupMode;
  /** Objects per write (each write is one transaction with its object-map rows). */
  batchSize?: number;
  onProgress?(step: string, done: number, total: number): void;
  /** Labels of the models Plinth has here. */
  models: readonly string[];
  /** With it, Plinth's traced cable paths are compared with NetBox's stored ones. */
  reads?: ReadService;
}

export interface RowFailure {
  pk: string;
  reason: string;
}

export interface ModelReport {
  netbox: string;
  target: string | null;
  pass?: string;
  total: number;
  created: number;
  updated: number;
  unchanged: number;
  matched: number;
  skipped: number;
  failed: number;
  /** Why rows (or the whole model) were skipped, with counts. */
  skipReasons: Record<string, number>;
  failures: RowFailure[];
  notes: string[];
}

export interface DroppedValues {
  netbox: string;
  field: string;
  reason: string;
  count: number;
}

export interface ImportReport {
  source: string;
  dryRun: boolean;
  seconds: number;
  request_id: string;
  models: ModelReport[];
  dropped: DroppedValues[];
  failed: number;
  /** Plinth's cable paths against NetBox's `dcim.cablepath` rows (when the source has them). */
  paths?: PathCheck;
}

/** Thrown to roll a dry run back once its report is complete. */
class DryRunRollback extends Error {
  constructor(readonly report: ImportReport) {
    super('dry run');
  }
}

/** NetBox 4's counter caches (`interface_count`) and private caches (`_total_vlan_ids`): derived. */
const DERIVED = /(^_|_count$)/;

/** Fields never reported as dropped on any model: Plinth keeps its own timestamps, NetBox's caches are derived. */
const ALWAYS_COVERED = new Set(COMMON_FIELDS);

/**
 * Import NetBox data through the write path: every object is validated by Plinth's rules and
 * change-logged (source `import`, one request id for the run). Writes go in batches, each in a
 * transaction with its object-map rows, so an interrupted run carries on where it stopped and a
 * second run over the same data changes nothing.
 */
export async function importNetbox(
  objects: ObjectsService,
  db: SqlRunner,
  data: NetboxData,
  mappings: readonly ModelMapping[],
  skipped: readonly SkippedModel[],
  opts: ImportOptions,
): Promise<ImportReport> {
  const started = Date.now();
  const request_id = randomUUID();
  const write: WriteOptions = { user: null, source: 'import', request_id, trusted: true };
  const map = new ObjectMap(opts.sourceName);
  await map.load(db);

  const run = async (
    api: ObjectsApi,
    inTx: (fn: (api: ObjectsApi, db: SqlRunner) => Promise<void>) => Promise<void>,
    manager?: EntityManager,
  ) => {
    const importer = new Importer(api, data, map, inTx, opts, new Set(opts.models));
    const reports: ModelReport[] = [];
    for (const m of mappings) reports.push(await importer.model(m));
    const covered = new Set([...mappings.map((m) => m.netbox), ...skipped.map((s) => s.netbox)]);
    for (const s of skipped) reports.push(importer.skippedModel(s.netbox, s.reason));
    for (const model of data.rows.keys())
      if (!covered.has(model))
        reports.push(importer.skippedModel(model, 'Plinth has no place for this model'));
    const paths =
      opts.reads && rowsOf(data, 'dcim.cablepath').length
        ? await checkCablePaths(opts.reads, data, (model, pk) => map.get(model, pk), manager)
        : undefined;
    const report: ImportReport = {
      ...(paths ? { paths } : {}),
      source: data.description,
      dryRun: opts.dryRun,
      seconds: (Date.now() - started) / 1000,
      request_id,
      models: reports,
      dropped: importer.droppedValues(),
      failed: reports.reduce((n, r) => n + r.failed, 0),
    };
    return report;
  };

  if (!opts.dryRun) {
    return run(objects.as(write), async (fn) => {
      await objects.transaction(async (tx) => {
        await fn(tx.objects, tx);
        return undefined;
      }, write);
    });
  }
  try {
    await objects.transaction(async (tx) => {
      const report = await run(tx.objects, (fn) => fn(tx.objects, tx), tx.manager);
      throw new DryRunRollback(report);
    }, write);
  } catch (e) {
    if (e instanceof DryRunRollback) return e.report;
    throw e;
  }
  throw new Error('unreachable');
}

interface Pending {
  row: NetboxRow;
  input: PlinthInput;
  /** Set for updates. */
  id?: string;
}

class Importer implements MapContext {
  readonly siteGroups: SiteGroupMode;
  private readonly statuses = new Map<string, { id: string; content_types: string[] }>();
  private statusesLoaded = false;
  private readonly tagIndex: Map<string, string[]>;
  private readonly dropCounts = new Map<string, DroppedValues>();
  private readonly memos = new Map<string, Promise<unknown>>();
  private readonly batchSize: number;

  constructor(
    readonly objects: ObjectsApi,
    readonly data: NetboxData,
    private readonly map: ObjectMap,
    private readonly inTx: (fn: (api: ObjectsApi, db: SqlRunner) => Promise<void>) => Promise<void>,
    private readonly opts: ImportOptions,
    private readonly labels: ReadonlySet<string>,
  ) {
    this.batchSize = opts.batchSize ?? 250;
    this.siteGroups = opts.siteGroups ?? 'drop';
    this.tagIndex = new Map();
    for (const t of rowsOf(data, 'extras.taggeditem')) {
      const ct = t.fields.content_type;
      if (!Array.isArray(ct)) continue;
      const key = `${ct.join('.')}:${String(t.fields.object_id)}`;
      const list = this.tagIndex.get(key) ?? [];
      list.push(String(t.fields.tag));
      this.tagIndex.set(key, list);
    }
  }

  // ------------------------------------------------------------ MapContext

  ref(netboxModel: string, pk: unknown, field: string): string | null {
    if (pk === null || pk === undefined || pk === '') return null;
    const id = this.map.get(netboxModel, String(pk));
    if (!id) throw new MappingError(field, `${netboxModel} ${String(pk)} was not imported`);
    return id;
  }

  refs(netboxModel: string, pks: unknown, field: string): string[] {
    if (!Array.isArray(pks)) return [];
    return pks.map((pk) => this.ref(netboxModel, pk, field)).filter((id): id is string => id !== null);
  }

  generic(type: unknown, pk: unknown, field: string): { label: string; id: string } | null {
    if (!Array.isArray(type) || pk === null || pk === undefined) return null;
    const netboxModel = type.join('.');
    const id = this.map.get(netboxModel, String(pk));
    if (!id) throw new MappingError(field, `${netboxModel} ${String(pk)} was not imported`);
    return { label: this.map.targetOf(netboxModel) ?? netboxModel, id };
  }

  async status(label: string, value: unknown): Promise<string> {
    if (typeof value !== 'string' || !value) throw new MappingError('status', 'no status');
    if (!this.statusesLoaded) {
      for (const s of await this.objects.find('extras.status', {}))
        this.statuses.set(String(s.name).toLowerCase(), {
          id: s.id,
          content_types: (s.content_types as string[] | undefined) ?? [],
        });
      this.statusesLoaded = true;
    }
    const name = statusName(value);
    const known = this.statuses.get(name.toLowerCase());
    if (known && known.content_types.includes(label)) return known.id;
    // A status NetBox has and Plinth lacks, or one not yet offered for this model: made so.
    await this.inTx(async (api) => {
      if (known) {
        known.content_types = [...known.content_types, label];
        await api.update('extras.status', [{ id: known.id, content_types: known.content_types }]);
      } else {
        const [s] = await api.create('extras.status', [{ name, content_types: [label] }]);
        this.statuses.set(name.toLowerCase(), { id: s.id, content_types: [label] });
      }
    });
    return this.statuses.get(name.toLowerCase())!.id;
  }

  tags(row: NetboxRow): string[] {
    const pks = this.tagIndex.get(`${row.model}:${row.pk}`) ?? [];
    return pks.map((pk) => this.map.get('extras.tag', pk)).filter((id): id is string => !!id);
  }

  dropped(row: NetboxRow, field: string, reason: string): void {
    const key = `${row.model}\0${field}`;
    const d = this.dropCounts.get(key) ?? { netbox: row.model, field, reason, count: 0 };
    d.count++;
    this.dropCounts.set(key, d);
  }

  async ensure(label: string, find: Record<string, string>, input: PlinthInput): Promise<string> {
    const key = `ensure:${label}:${JSON.stringify(find)}`;
    return this.memo(key, async () => {
      const [found] = await this.objects.find(label, find, { limit: 1 });
      if (found) return found.id;
      let id = '';
      await this.inTx(async (api) => {
        [{ id }] = await api.create(label, [input]);
      });
      return id;
    });
  }

  async ensureUpdate(label: string, id: string, input: PlinthInput): Promise<void> {
    await this.inTx(async (api) => {
      await api.update(label, [{ ...input, id }]);
    });
  }

  async ensureDeleted(label: string, ids: readonly string[]): Promise<void> {
    await this.inTx(async (api) => {
      await api.delete(label, ids);
    });
  }

  mapped(netboxModel: string, pk: string): string | undefined {
    return this.map.get(netboxModel, pk);
  }

  cableTerminations(cablePk: string): readonly NetboxRow[] {
    return (
      rowsBy(this.data, 'dcim.cabletermination', 'cable', (t) => String(t.fields.cable)).get(cablePk) ?? []
    );
  }

  hasModel(label: string): boolean {
    return this.labels.has(label);
  }

  memo<T>(key: string, make: () => Promise<T>): Promise<T> {
    let p = this.memos.get(key) as Promise<T> | undefined;
    if (!p) this.memos.set(key, (p = make()));
    return p;
  }

  droppedValues(): DroppedValues[] {
    return [...this.dropCounts.values()].sort(
      (a, b) => a.netbox.localeCompare(b.netbox) || a.field.localeCompare(b.field),
    );
  }

  // ------------------------------------------------------------ running

  skippedModel(netbox: string, reason: string): ModelReport {
    const report = emptyReport(netbox, null);
    const rows = rowsOf(this.data, netbox).length;
    report.total = rows;
    report.skipped = rows;
    if (rows) report.skipReasons[reason] = rows;
    return report;
  }

  async model(m: ModelMapping): Promise<ModelReport> {
    const report = emptyReport(m.netbox, m.target, m.pass);
    const rows = rowsOf(this.data, m.netbox);
    report.total = rows.length;
    if (rows.length === 0) return report;
    const step = m.pass ? `${m.netbox} (${m.pass})` : m.netbox;
    this.opts.onProgress?.(step, 0, rows.length);
    this.map.setTarget(m.netbox, m.target);
    await m.prepare?.(rows, this);
    const covered = new Set([...m.fields, ...ALWAYS_COVERED]);
    let done = 0;
    const progress = (n: number) => {
      done += n;
      this.opts.onProgress?.(step, Math.min(done, rows.length), rows.length);
    };
    for (const level of m.tree ? treeLevels(rows, m.tree) : [rows])
      await this.rows(m, level, report, covered, progress);
    const note = await m.finish?.(this);
    if (note) report.notes.push(note);
    this.opts.onProgress?.(step, rows.length, rows.length);
    return report;
  }

  /** Map, match and write rows (one level of a tree: their parents are written already). */
  private async rows(
    m: ModelMapping,
    rows: readonly NetboxRow[],
    report: ModelReport,
    covered: ReadonlySet<string>,
    progress: (n: number) => void,
  ): Promise<void> {
    const before = report.unchanged + report.skipped + report.failed + report.matched;
    const creates: Pending[] = [];
    const candidates: Pending[] = [];
    for (const row of rows) {
      if (!m.pass) this.reportDropped(row, covered);
      let input: PlinthInput | Skip;
      try {
        input = await m.map(row, this);
      } catch (e) {
        this.fail(report, row, e);
        continue;
      }
      if (!(input instanceof Skip)) input = defined(input);
      if (input instanceof Skip) {
        report.skipped++;
        report.skipReasons[input.reason] = (report.skipReasons[input.reason] ?? 0) + 1;
        continue;
      }
      const id = this.map.get(m.netbox, row.pk);
      if (id) candidates.push({ row, input, id });
      else if (m.pass) this.fail(report, row, new Error('not imported by the first pass'));
      else creates.push({ row, input });
    }

    // Mapped before: still there? Then compare; gone (deleted in Plinth): made again.
    const updates: Pending[] = [];
    const current = await this.load(
      m.target,
      candidates.map((c) => c.id!),
    );
    for (const c of candidates) {
      const rec = current.get(c.id!);
      if (!rec) {
        if (m.pass) this.fail(report, c.row, new Error('its Plinth object was deleted'));
        else creates.push({ row: c.row, input: c.input });
      } else if (this.map.merged(m.netbox, c.row.pk) || sameInput(c.input, rec)) report.unchanged++;
      else updates.push(c);
    }

    // New to the map: maybe the same thing as an object Plinth already has.
    const fresh: Pending[] = [];
    const matchedPairs: [string, string][] = [];
    const mergedPairs: [string, string][] = [];
    const matchedUpdates: Pending[] = [];
    for (const c of creates) {
      const match = m.match ? await m.match(c.input, c.row, this) : undefined;
      if (!match) {
        fresh.push(c);
        continue;
      }
      report.matched++;
      (match.update ? matchedPairs : mergedPairs).push([c.row.pk, match.id]);
      if (match.note && !report.notes.includes(match.note)) report.notes.push(match.note);
      if (match.update) matchedUpdates.push({ ...c, id: match.id });
    }
    if (matchedPairs.length || mergedPairs.length) {
      await this.inTx(async (_api, db) => {
        await this.map.add(db, m.netbox, m.target, matchedPairs);
        await this.map.add(db, m.netbox, m.target, mergedPairs, true);
      });
      this.map.remember(m.netbox, matchedPairs);
      this.map.remember(m.netbox, mergedPairs, true);
    }
    if (matchedUpdates.length) {
      const recs = await this.load(
        m.target,
        matchedUpdates.map((u) => u.id!),
      );
      for (const u of matchedUpdates) if (!sameInput(u.input, recs.get(u.id!) ?? {})) updates.push(u);
    }

    progress(report.unchanged + report.skipped + report.failed + report.matched - before);
    report.created += await this.writeAll(m, fresh, 'create', report, progress);
    report.updated += await this.writeAll(m, updates, 'update', report, progress);
  }

  /** Write in batches; a batch's invalid items fail alone (named in the report), the rest are retried. */
  private async writeAll(
    m: ModelMapping,
    items: Pending[],
    kind: 'create' | 'update',
    report: ModelReport,
    progress: (n: number) => void,
  ): Promise<number> {
    let written = 0;
    for (let i = 0; i < items.length; i += this.batchSize) {
      let batch = items.slice(i, i + this.batchSize);
      while (batch.length) {
        try {
          let pairs: [string, string][] = [];
          await this.inTx(async (api, db) => {
            if (kind === 'create') {
              const recs = await api.create(
                m.target,
                batch.map((b) => b.input),
              );
              pairs = recs.map((r, j) => [batch[j].row.pk, r.id]);
              await this.map.add(db, m.netbox, m.target, pairs);
            } else {
              await api.update(
                m.target,
                batch.map((b) => ({ ...b.input, id: b.id! })),
              );
            }
          });
          this.map.remember(m.netbox, pairs);
          written += batch.length;
          progress(batch.length);
          break;
        } catch (e) {
          const perItem = e instanceof ValidationError && Array.isArray(e.errors) ? e.errors : null;
          if (perItem && perItem.length === batch.length && perItem.some((x) => Object.keys(x).length)) {
            const keep: Pending[] = [];
            batch.forEach((b, j) => {
              if (Object.keys(perItem[j]).length) this.fail(report, b.row, errorText(perItem[j]));
              else keep.push(b);
            });
            progress(batch.length - keep.length);
            batch = keep;
          } else if (batch.length > 1) {
            // Not attributable to one item: one at a time finds the culprit.
            for (const b of batch) {
              const one = await this.writeAll(m, [b], kind, report, progress);
              written += one;
            }
            break;
          } else {
            this.fail(report, batch[0].row, e);
            progress(1);
            break;
          }
        }
      }
    }
    return written;
  }

  private async load(target: string, ids: string[]): Promise<Map<string, Record<string, unknown>>> {
    const out = new Map<string, Record<string, unknown>>();
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      for (const r of await this.objects.find(target, { id: chunk })) out.set(r.id, r);
    }
    return out;
  }

  private reportDropped(row: NetboxRow, covered: ReadonlySet<string>): void {
    for (const [field, v] of Object.entries(row.fields)) {
      if (covered.has(field) || DERIVED.test(field) || v === null || v === '' || v === false) continue;
      if (Array.isArray(v) && v.length === 0) continue;
      if (typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0) continue;
      this.dropped(row, field, 'no Plinth field');
    }
  }

  private fail(report: ModelReport, row: NetboxRow, e: unknown): void {
    report.failed++;
    const reason =
      typeof e === 'string'
        ? e
        : e instanceof MappingError
          ? e.message
          : e instanceof ValidationError && !Array.isArray(e.errors)
            ? errorText(e.errors)
            : e instanceof Error
              ? e.message
              : String(e);
    report.failures.push({ pk: row.pk, reason });
  }
}

/** Without the keys a mapping set to undefined (NetBox fields it handled and Plinth has not). */
function defined(input: PlinthInput): PlinthInput {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
}

function errorText(errors: FieldErrors): string {
  return Object.entries(errors)
    .map(([k, v]) => `${k}: ${v.join(' ')}`)
    .join('; ');
}

/** Rows of a tree by depth: roots first, then their children, and so on (cycles end up last). */
function treeLevels(rows: readonly NetboxRow[], field: string): NetboxRow[][] {
  const byPk = new Map(rows.map((r) => [r.pk, r]));
  const depth = new Map<string, number>();
  const depthOf = (r: NetboxRow, seen: Set<string>): number => {
    const known = depth.get(r.pk);
    if (known !== undefined) return known;
    const parent = r.fields[field];
    const p = parent === null || parent === undefined ? undefined : byPk.get(String(parent));
    const d = !p || seen.has(p.pk) ? 0 : depthOf(p, seen.add(r.pk)) + 1;
    depth.set(r.pk, d);
    return d;
  };
  const levels: NetboxRow[][] = [];
  for (const r of rows) (levels[depthOf(r, new Set())] ??= []).push(r);
  return levels.filter(Boolean);
}

function emptyReport(netbox: string, target: string | null, pass?: string): ModelReport {
  return {
    netbox,
    target,
    ...(pass ? { pass } : {}),
    total: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    matched: 0,
    skipped: 0,
    failed: 0,
    skipReasons: {},
    failures: [],
    notes: [],
  };
}
