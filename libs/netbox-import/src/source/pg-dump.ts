import * as fs from 'node:fs';
import { fromTables, type ForeignKey, type Table } from './tables';
import type { NetboxData } from './types';

/** `\N`, `\t`, `\\`… of COPY's text format. */
function unescapeCopy(s: string): string | null {
  if (s === '\\N') return null;
  return s.replace(/\\(.)/g, (_m, c: string) =>
    c === 't'
      ? '\t'
      : c === 'n'
        ? '\n'
        : c === 'r'
          ? '\r'
          : c === 'b'
            ? '\b'
            : c === 'f'
              ? '\f'
              : c === 'v'
                ? '\v'
                : c,
  );
}

/** A PostgreSQL array literal (`{a,"b c",NULL}`, nested) as a JS array of strings. */
export function parseArray(s: string): unknown[] {
  let i = 0;
  const parse = (): unknown[] => {
    const out: unknown[] = [];
    i++; // {
    while (i < s.length && s[i] !== '}') {
      if (s[i] === '{') out.push(parse());
      else if (s[i] === '"') {
        let v = '';
        i++;
        while (s[i] !== '"') {
          if (s[i] === '\\') i++;
          v += s[i++];
        }
        i++;
        out.push(v);
      } else {
        let v = '';
        while (s[i] !== ',' && s[i] !== '}') v += s[i++];
        out.push(v === 'NULL' ? null : v);
      }
      if (s[i] === ',') i++;
    }
    i++; // }
    return out;
  };
  return s.startsWith('{') ? parse() : [];
}

/** A column's text as its type's value: numbers, booleans, JSON, arrays; the rest as text. */
function typed(type: string, text: string | null): unknown {
  if (text === null) return null;
  if (type.endsWith('[]')) {
    const items = parseArray(text);
    return /^(integer|smallint|bigint)/.test(type)
      ? items.map((x) => (x === null ? null : Number(x)))
      : items;
  }
  if (/^(integer|smallint|bigint)/.test(type)) return Number(text);
  if (type === 'boolean') return text === 't';
  if (type === 'jsonb' || type === 'json') return JSON.parse(text) as unknown;
  if (type.startsWith('timestamp'))
    return new Date(text.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00')).toISOString();
  return text;
}

/**
 * Read a plain-format `pg_dump` of a NetBox database (what `pg_dump netbox > netbox.sql` writes)
 * without a database: the tables' column types, their COPY data and the foreign keys.
 */
export function readPgDump(file: string): NetboxData {
  const text = fs.readFileSync(file, 'utf8');
  if (!text.includes('PostgreSQL database dump')) throw new Error(`${file} is not a pg_dump file`);
  const types = new Map<string, Map<string, string>>();
  for (const m of text.matchAll(/CREATE TABLE public\.(\w+) \(\n([\s\S]*?)\n\);/g)) {
    const cols = new Map<string, string>();
    for (const line of m[2].split('\n')) {
      const c = /^\s+"?(\w+)"? ([^,]+?)(?: NOT NULL| DEFAULT .*)*,?$/.exec(line);
      if (c) cols.set(c[1], c[2].trim());
    }
    types.set(m[1], cols);
  }
  const tables: Table[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const copy = /^COPY public\.(\w+) \((.*)\) FROM stdin;$/.exec(lines[i]);
    if (!copy) continue;
    const name = copy[1];
    const columns = copy[2].split(', ').map((c) => c.replace(/^"|"$/g, ''));
    const colTypes = columns.map((c) => types.get(name)?.get(c) ?? 'text');
    const rows: unknown[][] = [];
    for (i++; i < lines.length && lines[i] !== '\\.'; i++)
      rows.push(lines[i].split('\t').map((v, j) => typed(colTypes[j], unescapeCopy(v))));
    tables.push({ name, columns, rows });
  }
  const fks: ForeignKey[] = [];
  for (const m of text.matchAll(
    /ALTER TABLE ONLY public\.(\w+)\n\s+ADD CONSTRAINT \w+ FOREIGN KEY \((\w+)\) REFERENCES public\.(\w+)\(id\)/g,
  ))
    fks.push({ table: m[1], column: m[2], references: m[3] });
  return fromTables(`pg_dump file ${file}`, tables, fks);
}
