import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { displayOf, isUuid } from '@plinth/core';
import {
  PermissionDeniedError,
  ProtectedError,
  ValidationError,
  parseBoolean,
  type FieldErrors,
  type FieldMeta,
  type ModelMeta,
  type AnyRecord,
  type Rec,
  safeReturn,
} from '@plinth/plugin-sdk';
import { EditView } from './edit.view';
import {
  editableFields,
  formFields,
  list,
  assignFormValue,
  keyedErrors,
  one,
  otherErrors,
  parseFormValue,
  relatedIds,
  type FormBody,
} from './forms';
import { fieldErrors, ViewSupport } from './support';

/**
 * Fields a bulk edit may set: not unique (one value for many objects), not secrets, not the
 * inputs of optional sources (relationship peers, set per object).
 */
function bulkFields(model: ModelMeta): FieldMeta[] {
  return editableFields(model).filter(
    (f) =>
      !f.unique &&
      !f.write_only &&
      f.kind !== 'password' &&
      (!!model.field(f.name) || (f.kind !== 'fk' && f.kind !== 'm2m')),
  );
}

/**
 * Bulk edit and bulk delete of the objects selected on a list page: one atomic write through
 * the write path (all objects or none).
 */
@Injectable()
export class BulkView {
  constructor(
    @Inject(ViewSupport) private readonly s: ViewSupport,
    @Inject(EditView) private readonly editView: EditView,
  ) {}

  /** The selected objects the user may act on (ids the user may not see are dropped). */
  private async selected(model: ModelMeta, req: Request, action: 'change' | 'delete') {
    const s = this.s;
    if (model.read_only) throw new PermissionDeniedError(`${s.ui.models.plural(model)} are read-only.`);
    const user = s.ui.user(req);
    await s.authz.assert(user, action, model.label);
    const body = (req.body ?? {}) as FormBody;
    const ids = [
      ...new Set(
        list(body.pk)
          .filter(isUuid)
          .map((x) => x.toLowerCase()),
      ),
    ];
    const rows = ids.length
      ? (
          await s.reads.rows(s.actor(req), model, {
            params: { id: ids },
            limit: ids.length,
            offset: 0,
            count: false,
          })
        ).rows
      : [];
    const base = s.ui.models.path(model);
    return {
      body,
      base,
      objects: rows.map((r) => ({
        id: String(r.id),
        display: displayOf(model, r),
        url: `${base}${String(r.id)}/`,
      })),
    };
  }

  async editForm(model: ModelMeta, req: Request, res: Response, errors: FieldErrors = {}): Promise<void> {
    const s = this.s;
    const { body, base, objects } = await this.selected(model, req, 'change');
    if (objects.length === 0) {
      s.ui.flash(res, 'warning', `No ${model.verbose_name_plural} were selected.`);
      return s.ui.redirect(res, safeReturn(body.return_url, base));
    }
    const fields = bulkFields(model);
    const submitted = typeof body._apply === 'string' ? body : {};
    const names = s.names(req);
    await names.loadIds(relatedIds(model, fields, submitted, s.ui.models));
    const form = formFields(
      model,
      fields.filter((f) => f.kind !== 'm2m'),
      submitted,
      errors,
      s.ui.models,
      names,
      {
        allOptional: true,
      },
    ).map((f) => ({
      ...f,
      nullable: fields.find((x) => x.name === f.name)?.nullable ?? false,
      nulled: list(submitted._nullify).includes(f.name),
    }));
    // Many-to-many fields are edited as "add" and "remove" sets rather than replaced.
    const m2m = fields
      .filter((f) => f.kind === 'm2m')
      .flatMap((f) =>
        formFields(
          model,
          [
            { ...f, name: `add_${f.name}`, label: `Add ${f.label.toLowerCase()}` },
            { ...f, name: `remove_${f.name}`, label: `Remove ${f.label.toLowerCase()}` },
          ],
          submitted,
          errors,
          s.ui.models,
          names,
          { allOptional: true },
        ),
      );
    const all = [...form, ...m2m];
    await s.ui.send(
      req,
      res,
      'bulk-edit.njk',
      {
        title: `Editing ${objects.length} ${model.verbose_name_plural}`,
        model,
        list_url: base,
        action: `${base}edit/`,
        objects,
        fields: form,
        m2m_fields: m2m,
        errors: otherErrors(errors, all),
        return_url: safeReturn(body.return_url, base),
      },
      Object.keys(errors).length ? 400 : 200,
    );
  }

  async edit(model: ModelMeta, req: Request, res: Response): Promise<void> {
    const s = this.s;
    const { body, base, objects } = await this.selected(model, req, 'change');
    if (typeof body._apply !== 'string') return this.editForm(model, req, res);
    const changes: Rec = {};
    const errors: FieldErrors = {};
    const nullify = list(body._nullify);
    for (const f of bulkFields(model)) {
      if (f.kind === 'm2m') continue;
      if (nullify.includes(f.name) && f.nullable) {
        assignFormValue(model, changes, f.name, null);
        continue;
      }
      // Untouched fields stay as they are (checkboxes use a tri-state select here).
      if (f.kind === 'boolean') {
        const v = parseBoolean(one(body[f.name]));
        if (v !== undefined) assignFormValue(model, changes, f.name, v);
        continue;
      }
      if (list(body[f.name]).length === 0) continue;
      const r = parseFormValue(f, body[f.name]);
      if (r.error) errors[f.name] = [r.error];
      else if ('value' in r) assignFormValue(model, changes, f.name, r.value);
    }
    if (Object.keys(errors).length) return this.editForm(model, req, res, errors);
    const m2m = bulkFields(model).filter((f) => f.kind === 'm2m');
    const current = m2m.length
      ? new Map(
          (await s.ui.objects.find(model.label, { id: objects.map((o) => o.id) })).map((r) => [
            String(r.id),
            r,
          ]),
        )
      : new Map<string, Rec>();
    const updates = objects.map((o) => {
      const u: AnyRecord = { ...changes, id: String(o.id) };
      for (const f of m2m) {
        const add = list(body[`add_${f.name}`]);
        const remove = new Set(list(body[`remove_${f.name}`]));
        if (!add.length && !remove.size) continue;
        const have = ((current.get(o.id)?.[f.name] as string[] | undefined) ?? []).filter(
          (x) => !remove.has(x),
        );
        u[f.name] = [...new Set([...have, ...add])];
      }
      return u;
    });
    try {
      await s.ui.objects.update(model.label, updates, { partial: true });
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      const perObject = Array.isArray(e.errors) ? e.errors : [e.errors];
      const flat: FieldErrors = {};
      perObject.forEach((m, i) => {
        for (const [f, msgs] of Object.entries(m))
          (flat[f] ??= []).push(
            ...msgs.map((x) => (perObject.length > 1 ? `${objects[i]?.display ?? `#${i + 1}`}: ${x}` : x)),
          );
      });
      return this.editForm(model, req, res, keyedErrors(model, flat));
    }
    s.ui.flash(res, 'success', `Updated ${objects.length} ${model.verbose_name_plural}`);
    s.ui.redirect(res, safeReturn(body.return_url, base));
  }

  async delete(model: ModelMeta, req: Request, res: Response): Promise<void> {
    const s = this.s;
    const { body, base, objects } = await this.selected(model, req, 'delete');
    if (objects.length === 0) {
      s.ui.flash(res, 'warning', `No ${model.verbose_name_plural} were selected.`);
      return s.ui.redirect(res, safeReturn(body.return_url, base));
    }
    const ids = objects.map((o) => o.id);
    let blockers: { dependents: ProtectedError['dependents']; message: string | null };
    if (typeof body._confirm === 'string') {
      try {
        await s.ui.objects.delete(model.label, ids);
        s.ui.flash(res, 'success', `Deleted ${ids.length} ${model.verbose_name_plural}`);
        return s.ui.redirect(res, safeReturn(body.return_url, base));
      } catch (e) {
        if (e instanceof ProtectedError) blockers = { dependents: e.dependents, message: e.message };
        else if (e instanceof ValidationError)
          blockers = { dependents: [], message: fieldErrors(e).__all__?.join(' ') ?? e.message };
        else throw e;
      }
    } else {
      blockers = await this.editView.deleteBlockers(model, ids);
    }
    await s.ui.send(
      req,
      res,
      'delete.njk',
      {
        title: `Delete ${objects.length} ${objects.length === 1 ? model.verbose_name : model.verbose_name_plural}?`,
        model,
        list_url: base,
        action: `${base}delete/`,
        cancel_url: safeReturn(body.return_url, base),
        objects,
        bulk: true,
        dependents: this.editView.dependentLinks(blockers.dependents),
        blocked: blockers.message,
        cascades: [],
        return_url: safeReturn(body.return_url, base),
      },
      typeof body._confirm === 'string' ? 409 : 200,
    );
  }
}
