import {
  ValidationError,
  asUser,
  normalizeCidr,
  normalizeInet,
  parseIpAddress,
  type AuthUser,
  type FieldErrors,
  type JobDefinition,
  type JobVariable,
  type ReadService,
} from '@plinth/plugin-sdk';
import { isUpload } from './files';

/** A variable's label: declared, or its name in words. */
export function variableLabel(name: string, v: JobVariable): string {
  return v.label ?? name.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
}

/** The run form's fields as `/api/extras/jobs/<id>/variables/` describes them (Nautobot's shape). */
export function describeVariables(job: JobDefinition): Record<string, unknown>[] {
  return Object.entries(job.variables ?? {}).map(([name, v]) => ({
    name,
    type: v.type,
    label: variableLabel(name, v),
    help_text: v.description ?? '',
    required: v.required ?? true,
    default: v.default ?? null,
    ...(v.type === 'string' || v.type === 'text'
      ? { min_length: v.min_length ?? null, max_length: v.max_length ?? null }
      : {}),
    ...(v.type === 'string' ? { regex: v.regex ?? null } : {}),
    ...(v.type === 'integer' ? { min_value: v.min_value ?? null, max_value: v.max_value ?? null } : {}),
    ...(v.type === 'choice' || v.type === 'multichoice'
      ? { choices: v.choices.map(([value, label]) => ({ value, label })) }
      : {}),
    ...(v.type === 'object' || v.type === 'multiobject'
      ? { model: v.model, query_params: v.query_params ?? {} }
      : {}),
    ...(v.type === 'file' ? { max_size: v.max_size ?? null } : {}),
  }));
}

function isEmpty(value: unknown): boolean {
  return (
    value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)
  );
}

/** One value checked and normalised; a thrown Error's message is the field's error. */
function clean(v: JobVariable, value: unknown): unknown {
  switch (v.type) {
    case 'string':
    case 'text': {
      if (typeof value !== 'string') throw new Error('Enter a string.');
      if (v.min_length !== undefined && value.length < v.min_length)
        throw new Error(`Ensure this value has at least ${v.min_length} characters.`);
      if (v.max_length !== undefined && value.length > v.max_length)
        throw new Error(`Ensure this value has at most ${v.max_length} characters.`);
      if (v.type === 'string' && v.regex && !new RegExp(`^(?:${v.regex})$`).test(value))
        throw new Error(`Enter a value matching ${v.regex}.`);
      return value;
    }
    case 'integer': {
      const n = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw new Error('Enter a whole number.');
      if (v.min_value !== undefined && n < v.min_value)
        throw new Error(`Ensure this value is greater than or equal to ${v.min_value}.`);
      if (v.max_value !== undefined && n > v.max_value)
        throw new Error(`Ensure this value is less than or equal to ${v.max_value}.`);
      return n;
    }
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'on') return true;
      if (value === 'false') return false;
      throw new Error('Enter true or false.');
    case 'choice':
      if (typeof value !== 'string' || !v.choices.some(([c]) => c === value))
        throw new Error(`"${String(value)}" is not a valid choice.`);
      return value;
    case 'multichoice': {
      const list = Array.isArray(value) ? value : [value];
      for (const item of list)
        if (typeof item !== 'string' || !v.choices.some(([c]) => c === item))
          throw new Error(`"${String(item)}" is not a valid choice.`);
      return list;
    }
    case 'ipaddress':
      if (typeof value !== 'string' || !parseIpAddress(value.trim()))
        throw new Error('Enter a valid IPv4 or IPv6 address without a mask.');
      return parseIpAddress(value.trim())!.toString();
    case 'ipaddress_with_mask':
      if (typeof value !== 'string' || !value.includes('/'))
        throw new Error('Enter a valid IPv4 or IPv6 address with a mask (10.0.0.1/24).');
      return normalizeInet(value);
    case 'ipnetwork':
      if (typeof value !== 'string') throw new Error('Enter a valid IPv4 or IPv6 network.');
      return normalizeCidr(value);
    case 'json':
      if (typeof value === 'string') {
        try {
          return JSON.parse(value) as unknown;
        } catch {
          throw new Error('Enter valid JSON.');
        }
      }
      return value;
    case 'file':
      if (!isUpload(value))
        throw new Error('Upload the file as a multipart/form-data part named after the variable.');
      if (v.max_size !== undefined && value.size > v.max_size)
        throw new Error(`The file is too large: at most ${v.max_size} bytes.`);
      return value;
    case 'object':
    case 'multiobject': {
      const list = v.type === 'multiobject' ? (Array.isArray(value) ? value : [value]) : [value];
      for (const id of list) if (typeof id !== 'string') throw new Error('Enter object ids.');
      return v.type === 'multiobject' ? list : list[0];
    }
  }
}

/**
 * Check `data` against the job's variables as `user`: unknown names, types, bounds, and that
 * chosen objects exist, match the variable's filter and are visible to the user. Returns the
 * cleaned data; throws a 400 whose fields are `data.<variable>`.
 */
export async function validateJobData(
  job: JobDefinition,
  data: unknown,
  user: AuthUser | null,
  reads: ReadService,
): Promise<Record<string, unknown>> {
  if (data === undefined || data === null) data = {};
  if (typeof data !== 'object' || Array.isArray(data))
    throw ValidationError.field('data', 'Enter an object.');
  const input = data as Record<string, unknown>;
  const variables = job.variables ?? {};
  const errors: FieldErrors = {};
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(input))
    if (!Object.hasOwn(variables, name)) errors[`data.${name}`] = [`The job has no variable "${name}".`];
  for (const [name, v] of Object.entries(variables)) {
    const value = Object.hasOwn(input, name) ? input[name] : v.default;
    if (isEmpty(value)) {
      if ((v.required ?? true) && v.type !== 'boolean') errors[`data.${name}`] = ['This field is required.'];
      else out[name] = v.type === 'boolean' ? false : (value ?? null);
      continue;
    }
    try {
      out[name] = clean(v, value);
    } catch (e) {
      errors[`data.${name}`] = [(e as Error).message];
      continue;
    }
    if (v.type === 'object' || v.type === 'multiobject') {
      const ids = (Array.isArray(out[name]) ? out[name] : [out[name]]) as string[];
      const found = await reads
        .count(asUser(user), v.model, { ...(v.query_params ?? {}), id: ids })
        .catch(() => -1);
      if (found !== new Set(ids).size)
        errors[`data.${name}`] = ['Select existing objects the variable allows.'];
    }
  }
  if (Object.keys(errors).length) throw new ValidationError(errors);
  return out;
}
