import { RE2JS } from 're2js';

/**
 * The value checks of the rule kinds, shared by enforcement (each write) and the audit job
 * (stored objects). Each answers null when the value passes, or the message to report.
 * Empty values (null, '', []) pass every check but the required one: a rule on an optional
 * field checks it when it is set (pair it with a required rule to demand it).
 */

/** Longest regular expression a rule may hold (RE2 compiles it in time linear in its size). */
export const MAX_REGEX_LENGTH = 1000;

export function isEmpty(value: unknown): boolean {
  return (
    value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)
  );
}

/** The reason a pattern is not a usable RE2 expression, or null. */
export function regexError(pattern: string): string | null {
  if (pattern.length > MAX_REGEX_LENGTH) return `Keep the expression under ${MAX_REGEX_LENGTH} characters.`;
  try {
    RE2JS.compile(pattern);
    return null;
  } catch (e) {
    return `Not a valid regular expression: ${(e as Error).message}`;
  }
}

const compiled = new Map<string, RE2JS>();

/** A compiled expression, kept per pattern (rules are few; patterns change rarely). */
function compile(pattern: string): RE2JS {
  let re = compiled.get(pattern);
  if (!re) {
    if (compiled.size > 1000) compiled.clear();
    re = RE2JS.compile(pattern);
    compiled.set(pattern, re);
  }
  return re;
}

export interface NamedRule {
  name: string;
  error_message: string;
}

/**
 * Does the value match at its start, as Python's `re.match` in Nautobot's engine (anchor the
 * end with `$`)? RE2 matches in linear time: a user's expression cannot stall the server.
 */
export function checkRegex(rule: NamedRule & { regular_expression: string }, value: unknown): string | null {
  if (isEmpty(value)) return null;
  const text = value instanceof Date ? value.toISOString() : String(value);
  if (compile(rule.regular_expression).matcher(text).lookingAt()) return null;
  return (
    rule.error_message ||
    `Value does not match the regular expression ${rule.regular_expression} (rule "${rule.name}").`
  );
}

export function checkMinMax(
  rule: NamedRule & { min: number | null; max: number | null },
  value: unknown,
): string | null {
  if (isEmpty(value)) return null;
  const n = Number(value);
  if (Number.isNaN(n)) return null;
  if (rule.min !== null && n < rule.min)
    return rule.error_message || `Value is less than the minimum of ${rule.min} (rule "${rule.name}").`;
  if (rule.max !== null && n > rule.max)
    return rule.error_message || `Value is more than the maximum of ${rule.max} (rule "${rule.name}").`;
  return null;
}

export function checkRequired(rule: NamedRule, value: unknown): string | null {
  if (!isEmpty(value)) return null;
  return rule.error_message || `This field is required (rule "${rule.name}").`;
}

/** The unique rule's message (its check is a query: see enforcement and the audit). */
export function uniqueMessage(rule: NamedRule & { max_instances: number; scope: readonly string[] }): string {
  if (rule.error_message) return rule.error_message;
  const many = rule.max_instances === 1 ? 'one object' : `${rule.max_instances} objects`;
  const within = rule.scope.length ? ` with the same ${rule.scope.join(', ')}` : '';
  return `Only ${many}${within} may have this value (rule "${rule.name}").`;
}
