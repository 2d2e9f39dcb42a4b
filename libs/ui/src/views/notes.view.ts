import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CoreModels, NotFoundError, ValidationError, type ModelMeta } from '@plinth/plugin-sdk';
import { DetailView } from './detail.view';
import { one, type FormBody } from './forms';
import { renderMarkdown } from './markdown';
import { fieldErrors, ViewSupport } from './support';

/**
 * The Notes tab of objects with the `notes` feature: their notes, newest first, with author and
 * time and the Markdown rendered safely; and a form adding one (through the write path, as the
 * user, so permissions and the change log apply).
 */
@Injectable()
export class NotesView {
  constructor(
    @Inject(ViewSupport) private readonly s: ViewSupport,
    @Inject(DetailView) private readonly detail: DetailView,
  ) {}

  private notesModel(model: ModelMeta): ModelMeta {
    const notes = this.s.ui.models.get(CoreModels.note.label);
    if (!notes || !model.has('notes')) throw new NotFoundError('This object type takes no notes.');
    return notes;
  }

  async render(
    model: ModelMeta,
    id: string,
    req: Request,
    res: Response,
    form: { note: string; errors: string[] } = { note: '', errors: [] },
  ): Promise<void> {
    const s = this.s;
    const notes = this.notesModel(model);
    const h = await this.detail.header(model, id, req, 'notes');
    const user = s.ui.user(req);
    const { rows } = await s.reads.rows(s.actor(req), notes, {
      params: { assigned_object_type: [model.label], assigned_object_id: [String(h.row.id)] },
      sort: ['-created'],
      limit: 1000,
      offset: 0,
    });
    await s.ui.send(
      req,
      res,
      'notes.njk',
      {
        ...this.detail.headerData(h),
        notes: rows.map((r) => ({
          id: String(r.id),
          user_name: r.user_name || 'unknown',
          created: r.created,
          html: renderMarkdown(String(r.note ?? '')),
        })),
        can_add: await s.authz.can(user, 'add', notes.label),
        action: `${h.url}notes/`,
        note: form.note,
        form_errors: form.errors,
      },
      form.errors.length ? 400 : 200,
    );
  }

  async add(model: ModelMeta, id: string, req: Request, res: Response): Promise<void> {
    const s = this.s;
    const notes = this.notesModel(model);
    const h = await this.detail.header(model, id, req, 'notes');
    await s.authz.assert(s.ui.user(req), 'add', notes.label);
    const note = one(((req.body ?? {}) as FormBody).note);
    try {
      await s.ui.objects.create(notes.label, [
        { assigned_object_type: model.label, assigned_object_id: String(h.row.id), note },
      ]);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      const errors = Object.entries(fieldErrors(e)).flatMap(([f, msgs]) =>
        msgs.map((m) => (f === 'note' || f === '__all__' ? m : `${f}: ${m}`)),
      );
      return this.render(model, id, req, res, { note, errors });
    }
    s.ui.flash(res, 'success', 'Note added');
    s.ui.redirect(res, `${h.url}notes/`);
  }
}
