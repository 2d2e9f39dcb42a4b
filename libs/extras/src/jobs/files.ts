import {
  sql,
  type JobDefinition,
  type JobFile,
  type SqlRunner,
  type UploadedFilePart,
} from '@plinth/plugin-sdk';

/** A file variable's value between the request and its storage. */
export interface Upload {
  upload: true;
  name: string;
  content_type: string;
  size: number;
  content: Buffer;
}

/** A file variable's value in queued data and `task_kwargs`: the stored upload, not its bytes. */
export interface FileRef {
  file_proxy: string;
  name: string;
  size: number;
  content_type: string;
}

export function isUpload(value: unknown): value is Upload {
  return typeof value === 'object' && value !== null && (value as Upload).upload === true;
}

function isFileRef(value: unknown): value is FileRef {
  return typeof value === 'object' && value !== null && typeof (value as FileRef).file_proxy === 'string';
}

/** The request's file parts for the job's file variables, by variable (`<name>` or `<prefix><name>`). */
export function uploadsOf(
  job: JobDefinition,
  files: readonly UploadedFilePart[],
  prefix = '',
): { uploads: Record<string, Upload>; unknown: string[] } {
  const uploads: Record<string, Upload> = {};
  const unknown: string[] = [];
  const fileVars = new Set(
    Object.entries(job.variables ?? {})
      .filter(([, v]) => v.type === 'file')
      .map(([n]) => n),
  );
  for (const part of files) {
    const name = part.fieldname.startsWith(prefix) ? part.fieldname.slice(prefix.length) : part.fieldname;
    // An empty file input of the UI form sends a part with no name and no bytes: not an upload.
    if (!part.originalname && part.size === 0) continue;
    if (!fileVars.has(name)) {
      unknown.push(part.fieldname);
      continue;
    }
    uploads[name] = {
      upload: true,
      name: part.originalname || name,
      content_type: part.mimetype || 'application/octet-stream',
      size: part.size,
      content: part.buffer,
    };
  }
  return { uploads, unknown };
}

/**
 * Store the uploads of checked data as `extras.fileproxy` rows (no job result yet) and put
 * references in their place; returns the data to queue and the stored ids.
 */
export async function storeUploads(
  db: SqlRunner,
  data: Record<string, unknown>,
): Promise<{ data: Record<string, unknown>; ids: string[] }> {
  const out: Record<string, unknown> = { ...data };
  const ids: string[] = [];
  for (const [name, value] of Object.entries(data)) {
    if (!isUpload(value)) continue;
    const [row] = await db.query<{ id: string }>(
      sql`INSERT INTO "extras_fileproxy" ("id", "created", "last_updated", "name", "content_type", "size", "file")
          VALUES (gen_random_uuid(), now(), now(), ${value.name.slice(0, 255)}, ${value.content_type.slice(0, 255)}, ${value.size}, ${value.content}) RETURNING "id"`,
    );
    ids.push(row.id);
    out[name] = {
      file_proxy: row.id,
      name: value.name,
      size: value.size,
      content_type: value.content_type,
    } satisfies FileRef;
  }
  return { data: out, ids };
}

/** Tie stored uploads to the run they were made for (they go with it). */
export async function linkUploads(db: SqlRunner, ids: readonly string[], resultId: string): Promise<void> {
  if (ids.length)
    await db.query(
      sql`UPDATE "extras_fileproxy" SET "job_result_id" = ${resultId}::uuid WHERE "id" = ANY(${ids}::uuid[])`,
    );
}

/** Remove uploads (a refused submission's, or a finished run's). */
export async function dropUploads(db: SqlRunner, ids: readonly string[]): Promise<void> {
  if (ids.length) await db.query(sql`DELETE FROM "extras_fileproxy" WHERE "id" = ANY(${ids}::uuid[])`);
}

/** The data a run gets: each file reference read back as a JobFile. Returns the proxies read too. */
export async function withJobFiles(
  db: SqlRunner,
  data: Record<string, unknown>,
): Promise<{ data: Record<string, unknown>; ids: string[] }> {
  const out: Record<string, unknown> = { ...data };
  const ids: string[] = [];
  for (const [name, value] of Object.entries(data)) {
    if (!isFileRef(value)) continue;
    const [row] = await db.query<{ name: string; content_type: string; size: number; file: Buffer }>(
      sql`SELECT "name", "content_type", "size", "file" FROM "extras_fileproxy" WHERE "id" = ${value.file_proxy}::uuid`,
    );
    if (!row) throw new Error(`The file uploaded for "${name}" is gone (its run already ended).`);
    ids.push(value.file_proxy);
    const content = Buffer.from(row.file);
    out[name] = {
      name: row.name,
      content_type: row.content_type,
      size: Number(row.size),
      content,
      text: (encoding: BufferEncoding = 'utf8') => content.toString(encoding),
    } satisfies JobFile;
  }
  return { data: out, ids };
}
