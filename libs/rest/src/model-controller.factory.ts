import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Options,
  Param,
  Patch,
  Post,
  Put,
  Req,
  Res,
  type Type,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { ModelMeta } from '@plinth/plugin-sdk';
import { RestEngine } from './rest-engine';

function className(model: ModelMeta): string {
  return `${model.label.replace(/(^|[._])(\w)/g, (_m, _s, c: string) => c.toUpperCase())}ApiController`;
}

/**
 * The REST controller of one model, generated from its metadata: list/detail GET, POST (object
 * or list), PUT/PATCH/DELETE on detail and, with list bodies, on the collection; OPTIONS.
 * Documented by the generated OpenAPI, not by decorators.
 */
export function createModelController(model: ModelMeta): Type<unknown> {
  const path = model.api_path!.replace(/^\/|\/$/g, '');

  @ApiExcludeController()
  @Controller(path)
  class ModelApiController {
    constructor(@Inject(RestEngine) private readonly engine: RestEngine) {}

    @Get()
    async list(@Req() req: Request, @Res() res: Response) {
      const exportName = this.engine.exportName(req);
      if (exportName) return this.engine.listExport(model, exportName, req, res);
      // CSV is streamed to the response; JSON pages are sent whole.
      if (this.engine.wantsCsv(req)) return this.engine.listCsv(model, req, res);
      await this.engine.list(model, req, res);
    }

    @Post()
    @HttpCode(201)
    create(@Req() req: Request, @Body() body: unknown) {
      if (model.read_only) this.engine.methodNotAllowed('POST');
      return this.engine.create(model, body, req);
    }

    @Put()
    bulkUpdate(@Req() req: Request, @Body() body: unknown) {
      if (model.read_only) this.engine.methodNotAllowed('PUT');
      return this.engine.bulkUpdate(model, body, false, req);
    }

    @Patch()
    bulkPartialUpdate(@Req() req: Request, @Body() body: unknown) {
      if (model.read_only) this.engine.methodNotAllowed('PATCH');
      return this.engine.bulkUpdate(model, body, true, req);
    }

    @Delete()
    @HttpCode(204)
    async bulkDestroy(@Req() req: Request, @Body() body: unknown) {
      if (model.read_only) this.engine.methodNotAllowed('DELETE');
      await this.engine.bulkDestroy(model, body, req);
    }

    @Options()
    async listOptions(@Req() req: Request) {
      await this.engine.assertView(req, model);
      return this.engine.metadata(model, req, false);
    }

    @Get(':id')
    retrieve(@Req() req: Request, @Param('id') id: string) {
      return this.engine.retrieve(model, id, req);
    }

    @Put(':id')
    update(@Req() req: Request, @Param('id') id: string, @Body() body: unknown) {
      if (model.read_only) this.engine.methodNotAllowed('PUT');
      return this.engine.update(model, id, body, false, req);
    }

    @Patch(':id')
    partialUpdate(@Req() req: Request, @Param('id') id: string, @Body() body: unknown) {
      if (model.read_only) this.engine.methodNotAllowed('PATCH');
      return this.engine.update(model, id, body, true, req);
    }

    @Delete(':id')
    @HttpCode(204)
    async destroy(@Req() req: Request, @Param('id') id: string) {
      if (model.read_only) this.engine.methodNotAllowed('DELETE');
      await this.engine.destroy(model, id, req);
    }

    @Get(':id/notes')
    async notes(@Req() req: Request, @Param('id') id: string, @Res() res: Response) {
      await this.engine.notes(model, id, req, res);
    }

    @Post(':id/notes')
    @HttpCode(201)
    addNote(@Req() req: Request, @Param('id') id: string, @Body() body: unknown) {
      return this.engine.addNote(model, id, body, req);
    }

    @Options(':id')
    async detailOptions(@Req() req: Request) {
      await this.engine.assertView(req, model);
      return this.engine.metadata(model, req, true);
    }
  }

  Object.defineProperty(ModelApiController, 'name', { value: className(model) });
  return ModelApiController;
}
