import { Controller, Get, Inject, Param, Post, Req, Res, type Type } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { queryParams } from '@plinth/core';
import type { ModelMeta } from '@plinth/plugin-sdk';
import { BulkView } from './bulk.view';
import { CsvView } from './csv.view';
import { DetailView } from './detail.view';
import { EditView } from './edit.view';
import { list, type FormBody } from './forms';
import { ListView } from './list.view';
import { NotesView } from './notes.view';
import { ViewSupport } from './support';

function className(model: ModelMeta): string {
  return `${model.label.replace(/(^|[._])(\w)/g, (_m, _s, c: string) => c.toUpperCase())}UiController`;
}

/**
 * The pages of one model, generated from its metadata with Nautobot's URL scheme: list, add,
 * import, bulk edit/delete, detail, edit, delete, change log. Static segments come before
 * `:id` so `add/` is never taken for an id.
 */
export function createModelUiController(model: ModelMeta, path: string): Type<unknown> {
  @ApiExcludeController()
  @Controller(path.replace(/^\/|\/$/g, ''))
  class ModelUiController {
    constructor(
      @Inject(ListView) private readonly listView: ListView,
      @Inject(DetailView) private readonly detailView: DetailView,
      @Inject(EditView) private readonly editView: EditView,
      @Inject(BulkView) private readonly bulkView: BulkView,
      @Inject(CsvView) private readonly csvView: CsvView,
      @Inject(NotesView) private readonly notesView: NotesView,
      @Inject(ViewSupport) private readonly support: ViewSupport,
    ) {}

    @Get()
    list(@Req() req: Request, @Res() res: Response) {
      const exportName = queryParams(req).export?.[0];
      if (exportName === 'csv') return this.csvView.export(model, req, res);
      if (exportName) return this.csvView.templateExport(model, exportName, req, res);
      return this.listView.render(model, req, res);
    }

    /** The column chooser: saved in the user's preferences (`reset` restores the defaults). */
    @Post('columns')
    async columns(@Req() req: Request, @Res() res: Response) {
      const body = (req.body ?? {}) as FormBody;
      const prefs = await this.support.prefs(req, model);
      const names = new Set(this.listView.columnsFor(model, undefined).all.map((c) => c.name));
      const columns = list(body.columns).filter((c) => names.has(c));
      const perPage = Number(body.per_page);
      const next = {
        ...prefs,
        columns: typeof body.reset === 'string' ? undefined : columns.length ? columns : prefs.columns,
        per_page: Number.isInteger(perPage) && perPage > 0 ? perPage : prefs.per_page,
      };
      await this.support.savePrefs(req, model, next.columns || next.per_page ? next : null);
      this.support.ui.redirect(res, path);
    }

    @Get('add')
    addForm(@Req() req: Request, @Res() res: Response) {
      return this.editView.form(model, null, req, res);
    }

    @Post('add')
    add(@Req() req: Request, @Res() res: Response) {
      return this.editView.save(model, null, req, res);
    }

    @Get('import')
    importForm(@Req() req: Request, @Res() res: Response) {
      return this.csvView.form(model, req, res);
    }

    @Post('import')
    import(@Req() req: Request, @Res() res: Response) {
      return this.csvView.import(model, req, res);
    }

    @Post('edit')
    bulkEdit(@Req() req: Request, @Res() res: Response) {
      return this.bulkView.edit(model, req, res);
    }

    @Post('delete')
    bulkDelete(@Req() req: Request, @Res() res: Response) {
      return this.bulkView.delete(model, req, res);
    }

    @Get(':id')
    detail(@Req() req: Request, @Res() res: Response, @Param('id') id: string) {
      return this.detailView.render(model, id, req, res);
    }

    @Get(':id/edit')
    editForm(@Req() req: Request, @Res() res: Response, @Param('id') id: string) {
      return this.editView.form(model, id, req, res);
    }

    @Post(':id/edit')
    edit(@Req() req: Request, @Res() res: Response, @Param('id') id: string) {
      return this.editView.save(model, id, req, res);
    }

    @Get(':id/delete')
    confirmDelete(@Req() req: Request, @Res() res: Response, @Param('id') id: string) {
      return this.editView.confirmDelete(model, id, req, res);
    }

    @Post(':id/delete')
    delete(@Req() req: Request, @Res() res: Response, @Param('id') id: string) {
      return this.editView.delete(model, id, req, res);
    }

    @Get(':id/notes')
    notes(@Req() req: Request, @Res() res: Response, @Param('id') id: string) {
      return this.notesView.render(model, id, req, res);
    }

    @Post(':id/notes')
    addNote(@Req() req: Request, @Res() res: Response, @Param('id') id: string) {
      return this.notesView.add(model, id, req, res);
    }

    @Get(':id/changelog')
    changelog(@Req() req: Request, @Res() res: Response, @Param('id') id: string) {
      return this.detailView.changelog(model, id, req, res);
    }
  }

  Object.defineProperty(ModelUiController, 'name', { value: className(model) });
  return ModelUiController;
}
