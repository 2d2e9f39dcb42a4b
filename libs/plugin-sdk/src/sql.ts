/**
 * A tiny, safe SQL fragment builder. Values become bind parameters; nested fragments are
 * spliced in with their parameters renumbered. Identifiers come only from model metadata
 * (never from user input) and go through `sql.ident`.
 */
export class Sql {
  constructor(
    readonly strings: readonly string[],
    readonly values: readonly unknown[],
  ) {}

  get isEmpty(): boolean {
    return this.values.length === 0 && this.strings.every((s) => s.trim() === '');
  }

  /** Render to `{text, values}` with `$n` placeholders starting after `offset` existing params. */
  toQuery(offset = 0): { text: string; values: unknown[] } {
    const values: unknown[] = [];
    const text = this.render(values, offset);
    return { text, values };
  }

  private render(values: unknown[], offset: number): string {
    let text = this.strings[0];
    for (let i = 0; i < this.values.length; i++) {
      const v = this.values[i];
      if (v instanceof Sql) {
        text += v.render(values, offset);
      } else {
        values.push(v);
        text += `$${values.length + offset}`;
      }
      text += this.strings[i + 1];
    }
    return text;
  }
}

function build(strings: TemplateStringsArray, ...values: unknown[]): Sql {
  return new Sql([...strings], values);
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export const sql = Object.assign(build, {
  /** Trusted SQL text (from metadata, never from user input). */
  raw(text: string): Sql {
    return new Sql([text], []);
  },
  /** A quoted identifier, optionally qualified (`sql.ident('t', 'name')` -> `"t"."name"`). */
  ident(...parts: string[]): Sql {
    return new Sql([parts.map(quoteIdent).join('.')], []);
  },
  join(fragments: readonly Sql[], separator = ', '): Sql {
    const list = fragments.filter((f) => f && !f.isEmpty);
    if (list.length === 0) return new Sql([''], []);
    return new Sql(['', ...list.slice(1).map(() => separator), ''], list);
  },
  and(fragments: readonly Sql[]): Sql {
    const list = fragments.filter((f) => f && !f.isEmpty);
    if (list.length === 0) return sql.raw('TRUE');
    if (list.length === 1) return list[0];
    return build`(${sql.join(
      list.map((f) => build`(${f})`),
      ' AND ',
    )})`;
  },
  or(fragments: readonly Sql[]): Sql {
    const list = fragments.filter((f) => f && !f.isEmpty);
    if (list.length === 0) return sql.raw('FALSE');
    if (list.length === 1) return list[0];
    return build`(${sql.join(
      list.map((f) => build`(${f})`),
      ' OR ',
    )})`;
  },
  empty: new Sql([''], []),
});
