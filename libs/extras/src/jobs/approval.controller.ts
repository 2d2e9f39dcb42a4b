import { Controller, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiExcludeController, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  AUTHORIZATION,
  InjectSql,
  NotFoundError,
  PermissionDeniedError,
  READS,
  RequestContext,
  ValidationError,
  asUser,
  sql,
  type Authorization,
  type ReadService,
  type SqlRunner,
} from '@plinth/plugin-sdk';
import { JobScheduler } from './schedule';

interface Approvals {
  authz: Authorization;
  reads: ReadService;
  db: SqlRunner;
  scheduler: JobScheduler;
}

/**
 * Approve or deny a scheduled job waiting for approval (Nautobot's `extras.approve_job`): needs
 * the `approve` action on jobs, and never by the user who requested the run. Approval lets the
 * scheduler fire it (now, when it is due); denial deletes it.
 */
async function decide(a: Approvals, id: string, approve: boolean): Promise<void> {
  const user = RequestContext.current()?.user ?? null;
  await a.authz.assert(user, 'approve', 'extras.job');
  if (!(await a.reads.get(asUser(user), 'extras.scheduledjob', id))) throw new NotFoundError();
  const [s] = await a.db.query<{
    user_id: string | null;
    approval_required: boolean;
    approved_at: Date | null;
  }>(
    sql`SELECT "user_id", "approval_required", "approved_at" FROM "extras_scheduledjob" WHERE "id" = ${id}::uuid`,
  );
  if (!s) throw new NotFoundError();
  if (!s.approval_required || s.approved_at)
    throw ValidationError.nonField('This scheduled job is not awaiting approval.');
  if (user && s.user_id === user.id)
    throw new PermissionDeniedError('You cannot approve or deny your own job request.');
  if (!approve) {
    await a.db.query(sql`DELETE FROM "extras_scheduledjob" WHERE "id" = ${id}::uuid`);
    return;
  }
  await a.db.query(
    sql`UPDATE "extras_scheduledjob" SET "approved_by_user_id" = ${user?.id ?? null}::uuid, "approved_at" = now(), "last_updated" = now() WHERE "id" = ${id}::uuid`,
  );
  // Fire it at once when it is due (an immediate run), rather than at the scheduler's next tick.
  await a.scheduler.run();
}

@ApiTags('extras')
@Controller('api/extras/scheduled-jobs')
export class ScheduledJobApprovalApiController {
  private readonly a: Approvals;

  constructor(
    @Inject(AUTHORIZATION) authz: Authorization,
    @Inject(READS) private readonly reads: ReadService,
    @InjectSql() db: SqlRunner,
    @Inject(JobScheduler) scheduler: JobScheduler,
  ) {
    this.a = { authz, reads, db, scheduler };
  }

  @Post(':id/approve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve a scheduled job awaiting approval (not your own)' })
  @ApiOkResponse({ description: 'The scheduled job, approved' })
  async approve(@Param('id') id: string) {
    await decide(this.a, id, true);
    return this.reads.get(asUser(RequestContext.current()?.user ?? null), 'extras.scheduledjob', id);
  }

  @Post(':id/deny')
  @HttpCode(200)
  @ApiOperation({ summary: 'Deny (delete) a scheduled job awaiting approval (not your own)' })
  @ApiOkResponse({ description: '`{"detail": "denied"}`' })
  async deny(@Param('id') id: string) {
    await decide(this.a, id, false);
    return { detail: 'denied' };
  }
}

/** The scheduled job page's Approve / Deny buttons post here. */
@ApiExcludeController()
@Controller('extras/scheduled-jobs')
export class ScheduledJobApprovalUiController {
  private readonly a: Approvals;

  constructor(
    @Inject(AUTHORIZATION) authz: Authorization,
    @Inject(READS) reads: ReadService,
    @InjectSql() db: SqlRunner,
    @Inject(JobScheduler) scheduler: JobScheduler,
  ) {
    this.a = { authz, reads, db, scheduler };
  }

  @Post(':id/approve')
  async approve(@Param('id') id: string, @Res() res: Response): Promise<void> {
    await decide(this.a, id, true);
    res.redirect(303, `/extras/scheduled-jobs/${id}/`);
  }

  @Post(':id/deny')
  async deny(@Param('id') id: string, @Res() res: Response): Promise<void> {
    await decide(this.a, id, false);
    res.redirect(303, '/extras/scheduled-jobs/');
  }
}
