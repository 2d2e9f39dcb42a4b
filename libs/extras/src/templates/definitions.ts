import { sql, type SqlRunner } from '@plinth/plugin-sdk';

/** The stored template objects of one model, read with one query each (a page costs one query). */

export interface ExportTemplateDef {
  name: string;
  template_code: string;
  mime_type: string;
  file_extension: string;
  as_attachment: boolean;
}

export interface CustomLinkDef {
  name: string;
  text: string;
  target_url: string;
  weight: number;
  group_name: string;
  button_class: string;
  new_window: boolean;
}

export interface ComputedFieldDef {
  key: string;
  label: string;
  description: string;
  template: string;
  fallback_value: string;
  weight: number;
  advanced_ui: boolean;
}

export function exportTemplatesOf(db: SqlRunner, label: string): Promise<ExportTemplateDef[]> {
  return db.query<ExportTemplateDef & Record<string, unknown>>(
    sql`SELECT name, template_code, mime_type, file_extension, as_attachment FROM "extras_exporttemplate"
        WHERE content_type = ${label} ORDER BY name`,
  );
}

export function customLinksOf(db: SqlRunner, label: string): Promise<CustomLinkDef[]> {
  return db.query<CustomLinkDef & Record<string, unknown>>(
    sql`SELECT name, text, target_url, weight, group_name, button_class, new_window FROM "extras_customlink"
        WHERE content_type = ${label} ORDER BY group_name, weight, name`,
  );
}

export function computedFieldsOf(db: SqlRunner, label: string): Promise<ComputedFieldDef[]> {
  return db.query<ComputedFieldDef & Record<string, unknown>>(
    sql`SELECT key, label, description, template, fallback_value, weight, advanced_ui FROM "extras_computedfield"
        WHERE content_type = ${label} ORDER BY weight, key`,
  );
}
