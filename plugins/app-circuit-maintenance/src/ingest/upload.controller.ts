import { Body, Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  AUTHORIZATION,
  RequestContext,
  ValidationError,
  uploadedFiles,
  type Authorization,
} from '@plinth/plugin-sdk';
import type { NotificationInput } from './ingest';
import { IngestService } from './ingest.service';

/** At most this many files per upload, each at most 5 MB. */
const MAX_FILES = 20;
const MAX_FILE_BYTES = 5 * 1024 * 1024;

/** Notification upload: `POST /api/plugins/circuit-maintenance/upload/`. */
@ApiTags('plugins')
@Controller('api/plugins/circuit-maintenance/upload')
export class NotificationUploadController {
  constructor(
    @Inject(IngestService) private readonly ingestion: IngestService,
    @Inject(AUTHORIZATION) private readonly authz: Authorization,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Ingest maintenance notifications',
    description:
      'multipart/form-data with one or more `file` parts (.eml or .ics), or JSON `{"raw": "...", "filename": "x.eml"}` ' +
      '(or a list of those). Each notification is parsed and applied in its own transaction; unparsable ones are kept ' +
      'as raw notifications with the reason.',
  })
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      properties: {
        raw: { type: 'string' },
        filename: { type: 'string' },
        file: { type: 'string', format: 'binary' },
      },
    },
  })
  @ApiCreatedResponse({
    description:
      '`[{raw_notification, parsed, reason, parser, maintenances: [{id, name, action, unknown_circuits}]}]`',
  })
  async upload(@Req() req: unknown, @Body() body: unknown) {
    const state = RequestContext.current();
    const user = state?.user ?? null;
    await this.authz.assert(user, 'add', 'circuit_maintenance.rawnotification');
    const files = uploadedFiles(req);
    const stray = files.find((f) => f.fieldname !== 'file');
    if (stray) throw ValidationError.field(stray.fieldname, 'Send notification files as `file` parts.');
    if (files.length > MAX_FILES)
      throw ValidationError.field('file', `Send between 1 and ${MAX_FILES} notifications.`);
    const big = files.find((f) => f.size > MAX_FILE_BYTES);
    if (big) throw ValidationError.field('file', `${big.originalname}: at most 5 MB.`);
    const inputs = files.length
      ? files.map((f) => ({ raw: f.buffer.toString('utf8'), filename: f.originalname }))
      : jsonInputs(body);
    return this.ingestion.ingest(inputs, { user, source: 'api', request_id: state?.request_id });
  }
}

/** `{raw, filename?, source?}` or a list of them; anything else is a 400 naming the field. */
function jsonInputs(body: unknown): NotificationInput[] {
  const items = Array.isArray(body) ? body : [body];
  if (items.length === 0 || items.length > MAX_FILES)
    throw ValidationError.nonField(`Send between 1 and ${MAX_FILES} notifications.`);
  return items.map((item, i) => {
    const where = (field: string) => (Array.isArray(body) ? `${i}.${field}` : field);
    const o = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    if (typeof o.raw !== 'string' || o.raw.trim() === '')
      throw ValidationError.field(
        where('raw'),
        'This field is required: the notification text (or upload a file).',
      );
    if (o.raw.length > MAX_FILE_BYTES) throw ValidationError.field(where('raw'), 'At most 5 MB.');
    for (const k of ['filename', 'source'] as const)
      if (o[k] !== undefined && typeof o[k] !== 'string')
        throw ValidationError.field(where(k), 'Must be a string.');
    return { raw: o.raw, filename: o.filename as string | undefined, source: o.source as string | undefined };
  });
}
