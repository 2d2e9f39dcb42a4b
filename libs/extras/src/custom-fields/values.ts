import type { CustomFieldDef } from './definitions';

export type Checked = { ok: true; value: unknown } | { ok: false; error: string };

const ok = (value: unknown): Checked => ({ ok: true, value });
const fail = (error: string): Checked => ({ ok: false, error });

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function validDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return (
    d.getUTCFullYear() === Number(m[1]) &&
    d.getUTCMonth() === Number(m[2]) - 1 &&
    d.getUTCDate() === Number(m[3])
  );
}

/** URLs as Django's URLValidator accepts them (scheme and host), without fetching anything. */
function validUrl(s: string): boolean {
  if (!/^(https?|ftps?):\/\//i.test(s) || /\s/.test(s)) return false;
  try {
    return new URL(s).hostname.length > 0;
  } catch {
    return false;
  }
}

/** A user-supplied regular expression, or an error message when it does not compile. */
export function compileRegex(pattern: string): RegExp | string {
  try {
    return new RegExp(pattern, 'u');
  } catch (e) {
    return `Invalid regular expression: ${(e as Error).message}`;
  }
}

function matchesRegex(def: CustomFieldDef, s: string): Checked {
  if (!def.validation_regex) return ok(s);
  const re = compileRegex(def.validation_regex);
  if (typeof re === 'string') return ok(s);
  return re.test(s) ? ok(s) : fail(`Value must match regex '${def.validation_regex}'`);
}

function inRange(def: CustomFieldDef, n: number): Checked {
  if (def.validation_minimum !== null && n < def.validation_minimum)
    return fail(`Value must be at least ${def.validation_minimum}`);
  if (def.validation_maximum !== null && n > def.validation_maximum)
    return fail(`Value must not exceed ${def.validation_maximum}`);
  return ok(n);
}

/**
 * Check and normalise one custom field value (Nautobot's `CustomField.validate`). `null` (and
 * the empty string for non-text types) clears the value; `required` is checked by the caller.
 * Strings are accepted where forms and CSV send them (`"42"`, `"true"`, `"a,b"`).
 */
export function checkValue(def: CustomFieldDef, raw: unknown): Checked {
  if (raw === null || raw === undefined) return ok(null);
  if (raw === '' && def.type !== 'json') return ok(null);
  switch (def.type) {
    case 'text':
    case 'markdown':
    case 'url': {
      if (typeof raw !== 'string') return fail('Value must be a string');
      if (def.type === 'url' && !validUrl(raw)) return fail('Enter a valid URL.');
      return matchesRegex(def, raw);
    }
    case 'integer': {
      const n = typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw.trim()) : raw;
      if (typeof n !== 'number' || !Number.isSafeInteger(n)) return fail('Value must be an integer.');
      return inRange(def, n);
    }
    case 'boolean': {
      if (typeof raw === 'boolean') return ok(raw);
      if (typeof raw === 'string' && /^(true|1|yes)$/i.test(raw)) return ok(true);
      if (typeof raw === 'string' && /^(false|0|no)$/i.test(raw)) return ok(false);
      return fail('Value must be true or false.');
    }
    case 'date':
      if (typeof raw !== 'string' || !validDate(raw))
        return fail('Date values must be in the format YYYY-MM-DD.');
      return ok(raw);
    case 'json':
      if (typeof raw === 'string') {
        // Forms and CSV cells send JSON text; the API sends the value itself.
        try {
          return ok(JSON.parse(raw));
        } catch {
          return ok(raw);
        }
      }
      return ok(raw);
    case 'select':
      if (typeof raw !== 'string') return fail('Value must be a string');
      if (!def.choices.includes(raw))
        return fail(`Invalid choice (${raw}). Available choices are: ${def.choices.join(', ')}`);
      return ok(raw);
    case 'multi-select': {
      const list =
        typeof raw === 'string'
          ? raw
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean)
          : raw;
      if (!Array.isArray(list) || list.some((v) => typeof v !== 'string'))
        return fail('Value must be a list of strings');
      const bad = (list as string[]).filter((v) => !def.choices.includes(v));
      if (bad.length)
        return fail(
          `Invalid choice(s) (${bad.join(', ')}). Available choices are: ${def.choices.join(', ')}`,
        );
      if (list.length === 0) return ok(null);
      return ok([...new Set(list as string[])]);
    }
  }
}
