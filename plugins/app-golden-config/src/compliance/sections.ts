/**
 * Configuration sections as Nautobot's golden config finds them (netutils' `section_config`):
 * a section is a line starting with one of the rule's `match_config` lines, with the lines
 * indented below it. Blank lines and comment lines (`!`, `#`) are ignored; trailing whitespace
 * never counts.
 */

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

/** The configuration's meaningful lines (no blanks, no comment lines, no trailing whitespace). */
export function configLines(config: string): string[] {
  return config
    .split(/\r?\n/)
    .map((l) => l.trimEnd())
    .filter((l) => {
      const t = l.trim();
      return t !== '' && t !== '!' && !t.startsWith('! ') && !t.startsWith('#');
    });
}

/** The rule's section-start lines, one per line of `match_config`. */
export function matchLines(matchConfig: string): string[] {
  return matchConfig
    .split(/\r?\n/)
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '');
}

/** The lines of every section of `config` starting with one of `matchConfig`'s lines, in order. */
export function sectionLines(config: string, matchConfig: string): string[] {
  const starts = matchLines(matchConfig);
  const out: string[] = [];
  let sectionIndent: number | null = null;
  for (const line of configLines(config)) {
    const indent = indentOf(line);
    if (sectionIndent !== null && indent > sectionIndent) {
      out.push(line);
      continue;
    }
    sectionIndent = null;
    if (starts.some((s) => line.startsWith(s))) {
      out.push(line);
      sectionIndent = indent;
    }
  }
  return out;
}

export interface ComplianceOutcome {
  compliance: boolean;
  actual: string;
  intended: string;
  /** Intended lines the actual configuration lacks. */
  missing: string;
  /** Actual lines the intended configuration lacks. */
  extra: string;
  ordered: boolean;
}

/** Lines of `a` not in `b`, each counted as often as it appears (a multiset difference). */
function without(a: readonly string[], b: readonly string[]): string[] {
  const left = new Map<string, number>();
  for (const l of b) left.set(l, (left.get(l) ?? 0) + 1);
  return a.filter((l) => {
    const n = left.get(l) ?? 0;
    if (n === 0) return true;
    left.set(l, n - 1);
    return false;
  });
}

/**
 * Compare a feature's sections of the backup (actual) and the intended configuration. Ordered:
 * compliant when the lines are the same in the same order; unordered: when they are the same
 * lines in any order. Missing/extra list the lines one side lacks (in both cases).
 */
export function compareSection(
  backup: string,
  intendedConfig: string,
  matchConfig: string,
  ordered: boolean,
): ComplianceOutcome {
  const actual = sectionLines(backup, matchConfig);
  const intended = sectionLines(intendedConfig, matchConfig);
  const missing = without(intended, actual);
  const extra = without(actual, intended);
  const compliance = ordered
    ? actual.length === intended.length && actual.every((l, i) => l === intended[i])
    : missing.length === 0 && extra.length === 0;
  return {
    compliance,
    actual: actual.join('\n'),
    intended: intended.join('\n'),
    missing: missing.join('\n'),
    extra: extra.join('\n'),
    ordered,
  };
}
