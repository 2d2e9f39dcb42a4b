import { Controller, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiExcludeController, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  AUTHORIZATION,
  NotFoundError,
  READS,
  RequestContext,
  asUser,
  type Authorization,
  type ReadService,
} from '@plinth/plugin-sdk';
import { WebhookDeliveries } from './deliveries';

/** Manual re-send of a delivery: needs to view the delivery and to change webhooks. */
async function resendAs(
  authz: Authorization,
  reads: ReadService,
  deliveries: WebhookDeliveries,
  id: string,
): Promise<string> {
  const user = RequestContext.current()?.user ?? null;
  await authz.assert(user, 'change', 'extras.webhook');
  // Reads.get answers null for an id that is not a uuid, as for one the user may not view.
  if (!(await reads.get(asUser(user), 'extras.webhookdelivery', id))) throw new NotFoundError();
  const outcome = await deliveries.resend(id);
  if (!outcome) throw new NotFoundError();
  return outcome;
}

/** `POST /api/extras/webhook-deliveries/{id}/resend/`: one attempt now; answers the updated delivery. */
@ApiTags('extras')
@Controller('api/extras/webhook-deliveries')
export class WebhookResendApiController {
  constructor(
    @Inject(AUTHORIZATION) private readonly authz: Authorization,
    @Inject(READS) private readonly reads: ReadService,
    @Inject(WebhookDeliveries) private readonly deliveries: WebhookDeliveries,
  ) {}

  @Post(':id/resend')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send a webhook delivery again' })
  @ApiOkResponse({
    description: 'The delivery after the attempt (status, response_code, response_body, error)',
  })
  async resend(@Param('id') id: string) {
    await resendAs(this.authz, this.reads, this.deliveries, id);
    const user = RequestContext.current()?.user ?? null;
    return this.reads.get(asUser(user), 'extras.webhookdelivery', id);
  }
}

/** The UI form of the same action (the delivery page's "Re-send" button); not part of the API. */
@ApiExcludeController()
@Controller('extras/webhook-deliveries')
export class WebhookResendUiController {
  constructor(
    @Inject(AUTHORIZATION) private readonly authz: Authorization,
    @Inject(READS) private readonly reads: ReadService,
    @Inject(WebhookDeliveries) private readonly deliveries: WebhookDeliveries,
  ) {}

  @Post(':id/resend')
  async resend(@Param('id') id: string, @Res() res: Response): Promise<void> {
    const outcome = await resendAs(this.authz, this.reads, this.deliveries, id);
    res.redirect(303, `/extras/webhook-deliveries/${id}/?resent=${outcome}`);
  }
}
