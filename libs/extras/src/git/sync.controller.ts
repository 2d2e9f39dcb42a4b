import { Controller, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiExcludeController, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  AUTHORIZATION,
  JOB_QUEUE,
  NotFoundError,
  READS,
  RequestContext,
  asUser,
  type Authorization,
  type JobQueue,
  type ReadService,
} from '@plinth/plugin-sdk';
import { GIT_REPOSITORY } from './models';
import { SYNC_JOB } from './sync';

/** Queue a sync: needs to change Git repositories and to view this one. */
async function queueSync(authz: Authorization, reads: ReadService, queue: JobQueue, id: string) {
  const user = RequestContext.current()?.user ?? null;
  await authz.assert(user, 'change', GIT_REPOSITORY);
  const repo = await reads.get(asUser(user), GIT_REPOSITORY, id);
  if (!repo) throw new NotFoundError();
  // A run of the sync job: its result (status, log) is the user's, at /api/extras/job-results/<id>/.
  const job_result = await queue.enqueue(SYNC_JOB, { repository: id }, { user });
  return { message: `Repository ${String(repo.name)} sync job added to queue.`, job_result };
}

/** `POST /api/extras/git-repositories/{id}/sync/` (Nautobot's): queues the sync job. */
@ApiTags('extras')
@Controller('api/extras/git-repositories')
export class GitSyncApiController {
  constructor(
    @Inject(AUTHORIZATION) private readonly authz: Authorization,
    @Inject(READS) private readonly reads: ReadService,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
  ) {}

  @Post(':id/sync')
  @HttpCode(200)
  @ApiOperation({ summary: 'Queue a sync of a Git repository' })
  @ApiOkResponse({ description: "`message` and the queued job's `job_id`" })
  sync(@Param('id') id: string) {
    return queueSync(this.authz, this.reads, this.queue, id);
  }
}

/** The repository page's Sync button (a form post); not part of the API. */
@ApiExcludeController()
@Controller('extras/git-repositories')
export class GitSyncUiController {
  constructor(
    @Inject(AUTHORIZATION) private readonly authz: Authorization,
    @Inject(READS) private readonly reads: ReadService,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
  ) {}

  @Post(':id/sync')
  async sync(@Param('id') id: string, @Res() res: Response): Promise<void> {
    await queueSync(this.authz, this.reads, this.queue, id);
    res.redirect(303, `/extras/git-repositories/${id}/?sync=queued`);
  }
}
