import { Inject, Injectable } from '@nestjs/common';
import {
  InjectSql,
  MODELS,
  NotFoundError,
  READS,
  RequestContext,
  ValidationError,
  type ModelLookup,
  type ReadService,
  type SqlRunner,
} from '@plinth/plugin-sdk';
import { originsOf, pathSegments } from './path-sql';

type ApiObject = Record<string, unknown>;

/** A traced path: `[near end, cable, far end]` per cable, as Nautobot's `trace` endpoints return it. */
export type Trace = [ApiObject, ApiObject | null, ApiObject | null][];

/**
 * Follows the cable path from a component (or circuit termination) through patch panels' front
 * and rear ports and across circuits, and renders every object on it as the REST API does.
 * Two queries for the path (one recursive query, then one per model of the objects on it).
 */
@Injectable()
export class TraceService {
  constructor(
    @InjectSql() private readonly db: SqlRunner,
    @Inject(MODELS) private readonly models: ModelLookup,
    @Inject(READS) private readonly reads: ReadService,
  ) {}

  async trace(label: string, id: string, depthParam?: string): Promise<Trace> {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id))
      throw new NotFoundError();
    const depth = depthParam === undefined || depthParam === '' ? 0 : Number(depthParam);
    if (!Number.isInteger(depth) || depth < 0 || depth > 3) {
      throw ValidationError.field('depth', 'Ensure this value is an integer between 0 and 3.');
    }
    const actor = { user: RequestContext.current()?.user ?? null };
    // 403 when the user may view none of the model, 404 when this one is not viewable.
    const origin = await this.reads.get(actor, label, id, { depth });
    if (!origin) throw new NotFoundError();
    const segments = await this.db.query(pathSegments(this.models, originsOf(label, [String(origin.id)])));
    segments.sort((a, b) => Number(a.seq) - Number(b.seq));

    const wanted = new Map<string, Set<string>>();
    const want = (type: unknown, ref: unknown): void => {
      if (typeof type !== 'string' || typeof ref !== 'string') return;
      wanted.set(type, (wanted.get(type) ?? new Set()).add(ref));
    };
    for (const s of segments) {
      want(s.near_type, s.near_id);
      want('dcim.cable', s.cable_id);
      want(s.far_type, s.far_id);
    }
    const objects = new Map<string, ApiObject>();
    for (const [type, ids] of wanted) {
      // Objects on the path the user may not view are left out (null), never shown.
      for (const o of await this.reads.render(actor, type, [...ids], { depth })) {
        objects.set(`${type}:${String(o.id)}`, o);
      }
    }
    const get = (type: unknown, ref: unknown): ApiObject | null =>
      typeof type === 'string' && typeof ref === 'string' ? (objects.get(`${type}:${ref}`) ?? null) : null;
    return segments.map((s) => [
      get(s.near_type, s.near_id) ?? origin,
      get('dcim.cable', s.cable_id),
      get(s.far_type, s.far_id),
    ]);
  }
}
