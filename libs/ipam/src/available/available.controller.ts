import { Body, Controller, Get, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { EntityManager } from 'typeorm';
import {
  AUTHORIZATION,
  InjectSql,
  NotFoundError,
  OBJECTS,
  READS,
  RequestContext,
  ValidationError,
  type Authorization,
  type FieldErrors,
  type ObjectsService,
  type ReadActor,
  type ReadService,
  type Rec,
  type SqlRunner,
  type TransactionContext,
  sql,
} from '@plinth/plugin-sdk';
import { lockAddressSpace } from '../namespaces';
import { allocatePrefixes, firstFreeAddresses, freePrefixes, freeVids, type ParentPrefix } from './space';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 1000;
const MAX_DEPTH = 3;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Advisory-lock class of VLAN group allocations (the second key is the group). */
const VLAN_GROUP_LOCK_CLASS = 0x1a9b;

/** Thrown inside an allocation's transaction to undo it and answer 204 (no room). */
class NoRoom extends Error {}

function user() {
  return RequestContext.current()?.user ?? null;
}

function actor(): ReadActor {
  return { user: user() };
}

/** `limit` as Nautobot's available-* GETs read it: default 50, at most 1000, 0 = the maximum. */
function limitOf(raw: string | undefined): number {
  if (raw === undefined || raw === '') return DEFAULT_LIMIT;
  if (!/^\d+$/.test(raw)) throw ValidationError.field('limit', 'A valid non-negative integer is required.');
  const n = Number(raw);
  return n === 0 || n > MAX_LIMIT ? MAX_LIMIT : n;
}

function depthOf(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 0;
  if (!/^\d+$/.test(raw)) throw ValidationError.field('depth', 'A valid non-negative integer is required.');
  if (Number(raw) > MAX_DEPTH)
    throw ValidationError.field('depth', `Ensure this value is less than or equal to ${MAX_DEPTH}.`);
  return Number(raw);
}

/** A POST body as Nautobot takes it: one object or a non-empty list of objects. */
function requestedItems(body: unknown): { items: Rec[]; bulk: boolean } {
  const bulk = Array.isArray(body);
  const items = (bulk ? body : [body ?? {}]) as unknown[];
  if (bulk && items.length === 0) {
    throw ValidationError.nonField('Expected a list of items but received an empty list.');
  }
  const errors = items.map((i): FieldErrors =>
    typeof i === 'object' && i !== null && !Array.isArray(i)
      ? {}
      : { __all__: ['Invalid data. Expected a dictionary.'] },
  );
  if (errors.some((e) => Object.keys(e).length)) throw new ValidationError(bulk ? errors : errors[0]);
  return { items: items as Rec[], bulk };
}

function throwItemErrors(errors: FieldErrors[], bulk: boolean): void {
  if (errors.every((e) => Object.keys(e).length === 0)) return;
  throw new ValidationError(bulk ? errors : errors[0]);
}

/**
 * Nautobot's allocation endpoints: `/api/ipam/prefixes/{id}/available-ips/`,
 * `/available-prefixes/` and `/api/ipam/vlan-groups/{id}/available-vlans/`. GET lists free space
 * (`limit`, default 50); POST takes one object or a list, allocates the lowest free space in one
 * transaction holding the address-space (or VLAN group) lock, creates the objects through the write path
 * (validated, permission-checked, change-logged) and answers 201 with them, or 204 when the space
 * cannot hold them all (nothing is created then, as in Nautobot).
 */
@ApiTags('ipam')
@Controller('api/ipam')
export class AvailableSpaceController {
  constructor(
    @Inject(OBJECTS) private readonly objects: ObjectsService,
    @Inject(AUTHORIZATION) private readonly authz: Authorization,
    @Inject(READS) private readonly reads: ReadService,
    @InjectSql() private readonly db: SqlRunner,
  ) {}

  /** The prefix, if the user may view it (404 otherwise); inside an allocation, the transaction's manager. */
  private async prefix(id: string, manager?: EntityManager): Promise<ParentPrefix> {
    if (!UUID.test(id)) throw new NotFoundError();
    const rec = await this.reads.get(actor(), 'ipam.prefix', id, { as: 'record', manager });
    if (!rec) throw new NotFoundError();
    return {
      id: String(rec.id),
      prefix: String(rec.prefix),
      namespace_id: String(rec.namespace),
      type: String(rec.type),
    };
  }

  /** The VLAN group's id, if the user may view it (404 otherwise). */
  private async vlanGroup(id: string, manager?: EntityManager): Promise<string> {
    if (!UUID.test(id)) throw new NotFoundError();
    const rec = await this.reads.get(actor(), 'ipam.vlangroup', id, { as: 'record', manager });
    if (!rec) throw new NotFoundError();
    return String(rec.id);
  }

  /**
   * Run an allocation in one transaction and answer 201 with the created objects (rendered as the
   * generic endpoints render them), or 204 when there is no room (the transaction is undone).
   */
  private async allocate(
    res: Response,
    label: string,
    bulk: boolean,
    depth: number,
    run: (tx: TransactionContext, create: (data: Rec[]) => Promise<Rec[]>) => Promise<Rec[]>,
  ): Promise<void> {
    let ids: string[];
    try {
      ids = await this.objects.transaction(async (tx) => {
        // Permission first: a user who may not add gets 403, not a 204 about the space.
        await this.authz.assert(user(), 'add', label, tx.manager);
        const created = await run(tx, (data) => tx.objects.create(label, data));
        return created.map((r) => String(r.id));
      });
    } catch (e) {
      if (!(e instanceof NoRoom)) throw e;
      res.status(204).end();
      return;
    }
    const objects = await this.reads.renderWritten(actor(), label, ids, { depth, detail: ids.length === 1 });
    res.status(201).json(bulk ? objects : objects[0]);
  }

  /** The prefix, read under the address-space lock (so it cannot move while addresses are picked). */
  private async lockedPrefix(tx: TransactionContext, id: string): Promise<ParentPrefix> {
    await lockAddressSpace(tx, 'exclusive');
    return this.prefix(id, tx.manager);
  }

  @Get('prefixes/:id/available-ips')
  @ApiOperation({ summary: 'Free IP addresses of a prefix (`limit`, default 50)' })
  @ApiResponse({ status: 200, description: '`[{ip_version, address}]`, lowest first' })
  async availableIps(@Param('id') id: string, @Query('limit') limit?: string) {
    const n = limitOf(limit);
    const p = await this.prefix(id);
    const { addresses, version } = await firstFreeAddresses(this.db, p, n);
    return addresses.map((address) => ({ ip_version: version, address }));
  }

  @Post('prefixes/:id/available-ips')
  @ApiOperation({ summary: 'Create IP addresses at the lowest free addresses of a prefix' })
  @ApiResponse({ status: 201, description: 'The created IP address(es)' })
  @ApiResponse({ status: 204, description: 'Not enough free addresses; nothing created' })
  async allocateIps(
    @Param('id') id: string,
    @Body() body: unknown,
    @Res() res: Response,
    @Query('depth') depth?: string,
  ) {
    const { items, bulk } = requestedItems(body);
    return this.allocate(res, 'ipam.ipaddress', bulk, depthOf(depth), async (tx, create) => {
      const p = await this.lockedPrefix(tx, id);
      const { addresses } = await firstFreeAddresses(tx, p, items.length);
      if (addresses.length < items.length) throw new NoRoom();
      return create(items.map((item, i) => ({ ...item, address: addresses[i], namespace: p.namespace_id })));
    });
  }

  @Get('prefixes/:id/available-prefixes')
  @ApiOperation({ summary: 'Free CIDR blocks of a prefix (`limit`, default 50)' })
  @ApiResponse({ status: 200, description: '`[{ip_version, prefix}]`, in address order' })
  async availablePrefixes(@Param('id') id: string, @Query('limit') limit?: string) {
    const n = limitOf(limit);
    const p = await this.prefix(id);
    const version = p.prefix.includes(':') ? 6 : 4;
    return (await freePrefixes(this.db, p, n)).map((prefix) => ({ ip_version: version, prefix }));
  }

  @Post('prefixes/:id/available-prefixes')
  @ApiOperation({ summary: 'Create child prefixes (each with a `prefix_length`) in the lowest free space' })
  @ApiResponse({ status: 201, description: 'The created prefix(es)' })
  @ApiResponse({ status: 204, description: 'Not enough room for every requested length; nothing created' })
  async allocatePrefixes(
    @Param('id') id: string,
    @Body() body: unknown,
    @Res() res: Response,
    @Query('depth') depth?: string,
  ) {
    const { items, bulk } = requestedItems(body);
    return this.allocate(res, 'ipam.prefix', bulk, depthOf(depth), async (tx, create) => {
      const p = await this.lockedPrefix(tx, id);
      const bits = p.prefix.includes(':') ? 128 : 32;
      const errors = items.map((item): FieldErrors => {
        const len = item.prefix_length;
        if (len === undefined || len === null) return { prefix_length: ['This field is required.'] };
        if (typeof len !== 'number' || !Number.isInteger(len) || len < 0) {
          return { prefix_length: ['A valid integer is required.'] };
        }
        if (len > bits)
          return { prefix_length: [`Invalid prefix length (${len}) for IPv${bits === 32 ? 4 : 6}.`] };
        return {};
      });
      throwItemErrors(errors, bulk);
      const allocated = await allocatePrefixes(
        tx,
        p,
        items.map((i) => Number(i.prefix_length)),
      );
      if (!allocated) throw new NoRoom();
      return create(
        items.map(({ prefix_length: _len, ...item }, i) => ({
          ...item,
          prefix: allocated[i],
          namespace: p.namespace_id,
        })),
      );
    });
  }

  @Get('vlan-groups/:id/available-vlans')
  @ApiOperation({ summary: 'Free VLAN IDs of a VLAN group (`limit`, default 50)' })
  @ApiResponse({ status: 200, description: '`[vid, ...]`, ascending' })
  async availableVlans(@Param('id') id: string, @Query('limit') limit?: string) {
    const n = limitOf(limit);
    return (await freeVids(this.db, await this.vlanGroup(id))).slice(0, n);
  }

  @Post('vlan-groups/:id/available-vlans')
  @ApiOperation({ summary: 'Create VLANs in a group: given `vid`s if free, else the lowest free ones' })
  @ApiResponse({ status: 201, description: 'The created VLAN(s)' })
  @ApiResponse({ status: 204, description: 'Not enough free VLAN IDs; nothing created' })
  async allocateVlans(
    @Param('id') id: string,
    @Body() body: unknown,
    @Res() res: Response,
    @Query('depth') depth?: string,
  ) {
    const { items, bulk } = requestedItems(body);
    return this.allocate(res, 'ipam.vlan', bulk, depthOf(depth), async (tx, create) => {
      const group = await this.vlanGroup(id, tx.manager);
      await tx.query(sql`SELECT pg_advisory_xact_lock(${VLAN_GROUP_LOCK_CLASS}::int, hashtext(${group}))`);
      const free = await freeVids(tx, group);
      if (free.length < items.length) throw new NoRoom();
      const freeSet = new Set(free);
      const asked = items.map((i) => i.vid).filter((v): v is number => typeof v === 'number');
      const errors = items.map((item): FieldErrors => {
        const vid = item.vid;
        if (vid === undefined || vid === null) return {};
        if (typeof vid !== 'number' || !freeSet.has(vid)) {
          return { vid: [`VLAN ID ${String(vid)} is not available in this VLAN group.`] };
        }
        return asked.indexOf(vid) !== asked.lastIndexOf(vid)
          ? { vid: [`VLAN ID ${vid} is requested twice.`] }
          : {};
      });
      throwItemErrors(errors, bulk);
      const next = free.filter((v) => !asked.includes(v))[Symbol.iterator]();
      return create(
        items.map((item) => ({
          ...item,
          vid: typeof item.vid === 'number' ? item.vid : next.next().value,
          vlan_group: group,
        })),
      );
    });
  }
}
