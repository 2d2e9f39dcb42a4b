import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { queryParams } from '@plinth/core';
import {
  PermissionDeniedError,
  ProtectedError,
  ValidationError,
  type DependentObject,
  type FieldErrors,
  type ModelMeta,
  type Rec,
  safeReturn,
} from '@plinth/plugin-sdk';
import { DetailView } from './detail.view';
import {
  editableFields,
  formFields,
  formInput,
  formSources,
  initialForm,
  keyedErrors,
  otherErrors,
  recordToForm,
  relatedIds,
  type FormBody,
} from './forms';
import { fieldErrors, ViewSupport } from './support';

/** Thrown inside a transaction to roll back a rehearsal (see deleteBlockers). */
class Rehearsal extends Error {}

/**
 * Add, edit and delete pages. Every write goes through the one write path as the logged-in
 * user (change source `web`), so validation, custom validators, permissions and the change log
 * apply exactly as for the REST API.
 */
@Injectable()
export class EditView {
  constructor(
    @Inject(ViewSupport) private readonly s: ViewSupport,
    @Inject(DetailView) private readonly detail: DetailView,
  ) {}

  private async assertCan(
    req: Request,
    model: ModelMeta,
    action: 'add' | 'change' | 'delete',
  ): Promise<void> {
    if (model.read_only) throw new PermissionDeniedError(`${this.s.ui.models.plural(model)} are read-only.`);
    await this.s.authz.assert(this.s.ui.user(req), action, model.label);
  }

  async form(
    model: ModelMeta,
    id: string | null,
    req: Request,
    res: Response,
    values?: FormBody,
    errors: FieldErrors = {},
  ): Promise<void> {
    const s = this.s;
    await this.assertCan(req, model, id ? 'change' : 'add');
    const header = id ? await this.detail.header(model, id, req, 'edit') : null;
    const fields = editableFields(model);
    let record = header?.record;
    const optional = formSources(model);
    if (header && !values && optional.length) {
      // Values of optional sources with form inputs (relationships), as the user may view them.
      const [object] = await s.reads.serialize(s.actor(req), model, [header.row], { include: optional });
      record = { ...header.record, ...Object.fromEntries(optional.map((n) => [n, object?.[n]])) };
    }
    const current = values ?? (record ? recordToForm(model, record) : initialForm(model, queryParams(req)));
    const names = s.names(req);
    await names.loadIds(relatedIds(model, fields, current, s.ui.models));
    const form = formFields(model, fields, current, errors, s.ui.models, names);
    const base = s.ui.models.path(model);
    await s.ui.send(
      req,
      res,
      'form.njk',
      {
        title: header ? `Editing ${header.display}` : `Add a new ${model.verbose_name}`,
        model,
        list_url: base,
        object_url: header?.url ?? null,
        action: header ? `${header.url}edit/` : `${base}add/`,
        fields: form,
        errors: otherErrors(errors, form),
        return_url: safeReturn(
          queryParams(req).return_url?.[0] ?? (req.body as FormBody | undefined)?.return_url,
          '',
        ),
        editing: !!header,
      },
      Object.keys(errors).length ? 400 : 200,
    );
  }

  async save(model: ModelMeta, id: string | null, req: Request, res: Response): Promise<void> {
    const s = this.s;
    await this.assertCan(req, model, id ? 'change' : 'add');
    const body = (req.body ?? {}) as FormBody;
    const { data, errors } = formInput(model, body);
    if (Object.keys(errors).length) return this.form(model, id, req, res, body, errors);
    let saved: Rec;
    try {
      if (id) {
        const h = await this.detail.header(model, id, req, 'edit');
        [saved] = await s.ui.objects.update(model.label, [{ ...data, id: String(h.row.id) }], {
          partial: true,
        });
      } else {
        [saved] = await s.ui.objects.create(model.label, [data]);
      }
    } catch (e) {
      if (e instanceof ValidationError)
        return this.form(model, id, req, res, body, keyedErrors(model, fieldErrors(e)));
      throw e;
    }
    const display = await this.displayOf(req, model, String(saved.id));
    s.ui.flash(res, 'success', `${id ? 'Modified' : 'Created'} ${model.verbose_name} ${display}`);
    // Values the write path shows only once (a new token's key) are shown now.
    for (const f of model.definition.extra_fields ?? []) {
      if (f.write_only && saved[f.name] !== undefined && saved[f.name] !== null)
        s.ui.flash(
          res,
          'warning',
          `${f.label}: ${String(saved[f.name])} (shown only this once; copy it now)`,
        );
    }
    const base = s.ui.models.path(model);
    if (!id && typeof body._addanother === 'string') return s.ui.redirect(res, `${base}add/`);
    s.ui.redirect(res, safeReturn(body.return_url, `${base}${String(saved.id)}/`));
  }

  /** The display name of an object the user has just written. */
  private async displayOf(req: Request, model: ModelMeta, id: string): Promise<string> {
    const [object] = await this.s.reads.renderWritten(this.s.actor(req), model, [id], { brief: true });
    return object ? String(object.display) : id;
  }

  /**
   * What would stop a deletion, found by rehearsing it on the write path inside a transaction
   * that is always rolled back: the 409's dependents, or a permission/validation message.
   */
  async deleteBlockers(
    model: ModelMeta,
    ids: string[],
  ): Promise<{ dependents: DependentObject[]; message: string | null }> {
    try {
      await this.s.ui.objects.transaction(async (tx) => {
        await tx.objects.delete(model.label, ids);
        throw new Rehearsal();
      });
    } catch (e) {
      if (e instanceof Rehearsal) return { dependents: [], message: null };
      if (e instanceof ProtectedError) return { dependents: e.dependents, message: e.message };
      if (e instanceof ValidationError) return { dependents: [], message: e.message };
      throw e;
    }
    return { dependents: [], message: null };
  }

  async confirmDelete(
    model: ModelMeta,
    id: string,
    req: Request,
    res: Response,
    blockers?: { dependents: DependentObject[]; message: string | null },
  ): Promise<void> {
    await this.assertCan(req, model, 'delete');
    const h = await this.detail.header(model, id, req, 'delete');
    const check = blockers ?? (await this.deleteBlockers(model, [String(h.row.id)]));
    const related = await this.detail.related(model, String(h.row.id), req);
    await this.s.ui.send(
      req,
      res,
      'delete.njk',
      {
        title: `Delete ${model.verbose_name}?`,
        model,
        list_url: h.base,
        action: `${h.url}delete/`,
        cancel_url: h.url,
        objects: [{ id: String(h.row.id), display: h.display, url: h.url }],
        dependents: this.dependentLinks(check.dependents),
        blocked: check.message,
        cascades: related.filter((r) => r.cascade && r.count > 0),
        return_url: '',
      },
      blockers ? 409 : 200,
    );
  }

  dependentLinks(deps: DependentObject[]) {
    return deps.map((d) => ({
      ...d,
      url: this.s.ui.models.url(d.object_type, d.id),
      type: this.s.ui.models.get(d.object_type)?.verbose_name ?? d.object_type,
    }));
  }

  async delete(model: ModelMeta, id: string, req: Request, res: Response): Promise<void> {
    await this.assertCan(req, model, 'delete');
    const h = await this.detail.header(model, id, req, 'delete');
    try {
      await this.s.ui.objects.delete(model.label, [String(h.row.id)]);
    } catch (e) {
      if (e instanceof ProtectedError)
        return this.confirmDelete(model, id, req, res, { dependents: e.dependents, message: e.message });
      if (e instanceof ValidationError)
        return this.confirmDelete(model, id, req, res, { dependents: [], message: e.message });
      throw e;
    }
    this.s.ui.flash(res, 'success', `Deleted ${model.verbose_name} ${h.display}`);
    this.s.ui.redirect(res, safeReturn((req.body as FormBody | undefined)?.return_url, h.base));
  }
}
