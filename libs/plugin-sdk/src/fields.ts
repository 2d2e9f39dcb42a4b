import 'reflect-metadata';
import type { Type } from '@nestjs/common';
import {
  IsBoolean,
  IsDate,
  IsIn,
  ValidateBy,
  IsInt,
  IsMACAddress,
  IsNumber,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { Column, Index, JoinColumn, JoinTable, ManyToMany, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { ModelFeature } from './model';
import type { ModelRef } from './refs';

/**
 * Plinth field decorators. Each one declares the TypeORM column (so migrations and repositories
 * see a normal entity), the class-validator constraints (so plugin authors can add their own
 * next to them), and the Plinth field metadata from which REST, GraphQL, UI forms, filters,
 * CSV and OpenAPI are derived.
 */

export type FieldKind =
  | 'string'
  | 'text'
  | 'slug'
  | 'color'
  | 'password'
  | 'integer'
  | 'float'
  | 'decimal'
  | 'boolean'
  | 'uuid'
  | 'datetime'
  | 'date'
  | 'json'
  | 'choice'
  | 'cidr'
  | 'inet'
  | 'mac'
  | 'array'
  | 'fk'
  | 'm2m';

export interface Choice {
  /** A string for choice fields; a number for integer fields with choices (rack widths). */
  value: string | number;
  label: string;
  /** Bootstrap-ish colour name for badges in the UI. */
  color?: string;
}

/** Build a choice list from `[value, label]` pairs or a `{value: label}` map. */
export function choices(defs: Record<string, string> | ReadonlyArray<readonly [string, string]>): Choice[] {
  const pairs = Array.isArray(defs) ? defs : Object.entries(defs);
  return pairs.map(([value, label]) => ({ value, label }));
}

export type OnDelete = 'PROTECT' | 'CASCADE' | 'SET_NULL';

/** An entity class (lazily), a typed model ref (`CoreModels.device`) or a model label (`ipam.vlan`). */
export type RelationTarget = (() => Type<unknown>) | ModelRef<unknown> | string;

export interface ThroughSpec {
  /** Join table name. */
  table: string;
  /** Column pointing at the owning object. */
  source: string;
  /** Column pointing at the related object. */
  target: string;
  /**
   * For generic join tables shared by many models (e.g. tags): a column that must equal the
   * owning model's label (`dcim.device`).
   */
  discriminator?: string;
}

/** Filter parameters (`{content_types: 'dcim.device'}`) a related object must match to be chosen. */
export type LimitChoicesTo = (modelLabel: string) => Record<string, string | string[]>;

/** The context passed to a field-level validator. */
export interface FieldValidationContext {
  record: Record<string, unknown>;
  action: 'create' | 'update';
}

export interface FieldOptions {
  label?: string;
  help_text?: string;
  /** Stored NULL allowed; the API accepts `null`. */
  nullable?: boolean;
  /** May be omitted on create (empty string for text fields). */
  blank?: boolean;
  default?: unknown | (() => unknown);
  unique?: boolean;
  /** Never accepted from clients (computed or set by the system). */
  read_only?: boolean;
  /** Accepted from clients but never returned (passwords). */
  write_only?: boolean;
  /** Generate REST/GraphQL filters for this field (default true). */
  filter?: boolean;
  /** Include in the `q` free-text search. */
  search?: boolean;
  /** Database column name, when it differs from the property name. */
  column?: string;
  /** Extra validation; return a message (or messages) to reject the value. */
  validate?: (value: unknown, ctx: FieldValidationContext) => string | string[] | undefined;
  /** Add a database index on the column. */
  index?: boolean;
}

export interface StringOptions extends FieldOptions {
  max_length?: number;
}
export interface NumberOptions extends FieldOptions {
  min_value?: number;
  max_value?: number;
}
export interface BigIntOptions extends NumberOptions {
  /** Store as bigint (64-bit); values are still plain numbers in the API. */
  big?: boolean;
  /** Allowed values with labels (shown as `{value, label}`, as Nautobot's integer choice fields). */
  choices?: readonly Choice[];
}
export interface DecimalOptions extends FieldOptions {
  precision: number;
  scale: number;
  min_value?: number;
  max_value?: number;
}
export interface ArrayOptions extends FieldOptions {
  item: 'string' | 'integer';
  /** Allowed item values (e.g. content type labels are checked by the model registry). */
  item_choices?: readonly Choice[];
  /**
   * Items must be labels of registered models (true), or of the models with this feature
   * (`'statuses'`: the models a Status may be used by).
   */
  content_types?: boolean | ModelFeature;
}
export interface ForeignKeyOptions extends FieldOptions {
  on_delete?: OnDelete;
  /** Name of the reverse accessor on the target (`interfaces` on Device). */
  related_name?: string;
  limit_choices_to?: LimitChoicesTo;
}
export interface ManyToManyOptions extends FieldOptions {
  through: ThroughSpec;
  related_name?: string;
  limit_choices_to?: LimitChoicesTo;
}

/** Scalar kinds: everything but references. */
export type ScalarKind = Exclude<FieldKind, 'fk' | 'm2m'>;

/** What every field has, whatever its kind. */
interface FieldBase {
  /** API / property name. */
  name: string;
  label: string;
  help_text?: string;
  nullable: boolean;
  blank: boolean;
  default?: unknown | (() => unknown);
  unique: boolean;
  read_only: boolean;
  write_only: boolean;
  filter: boolean;
  search: boolean;
  max_length?: number;
  min_value?: number;
  max_value?: number;
  /** A 64-bit integer (`Field.int({big: true})`). */
  big?: boolean;
  precision?: number;
  scale?: number;
  /** Allowed values (choice fields, integer choices, array items). */
  choices?: readonly Choice[];
  item?: 'string' | 'integer';
  /** Items are model labels: of every model (true), or of the models with this feature. */
  content_types?: boolean | ModelFeature;
  validate?: FieldOptions['validate'];
  /** Declared on this entity class (fields contributed by features have none). */
  owner?: Type<unknown>;
}

/** A value field: a column of the model's table, or none for fields handled by hooks/features. */
export interface ScalarFieldMeta extends FieldBase {
  kind: ScalarKind;
  column: string | null;
}

/** A foreign key: the `<name>_id` uuid column. */
export interface ForeignKeyMeta extends FieldBase {
  kind: 'fk';
  column: string;
  /**
   * The related model: its entity class, its typed ref, or its label (`ipam.vlan`) when the
   * entity lives in a plugin this one cannot import.
   */
  target: RelationTarget;
  on_delete: OnDelete;
  related_name?: string;
  limit_choices_to?: LimitChoicesTo;
}

/** A many-to-many relation through a join table (no column on the model's table). */
export interface ManyToManyMeta extends FieldBase {
  kind: 'm2m';
  column: null;
  target: RelationTarget;
  through: ThroughSpec;
  related_name?: string;
  limit_choices_to?: LimitChoicesTo;
}

/** A field of a model, by kind. */
export type FieldMeta = ScalarFieldMeta | ForeignKeyMeta | ManyToManyMeta;

/** A reference field (foreign key or many-to-many). */
export type RelationMeta = ForeignKeyMeta | ManyToManyMeta;

export function isRelation(f: FieldMeta): f is RelationMeta {
  return f.kind === 'fk' || f.kind === 'm2m';
}

/** Fields per entity class, shared by every copy of the SDK a process may load. */
const FIELDS: WeakMap<object, FieldMeta[]> = ((globalThis as Record<symbol, unknown>)[
  Symbol.for('plinth:entity-fields')
] ??= new WeakMap<object, FieldMeta[]>()) as WeakMap<object, FieldMeta[]>;

/** All Plinth fields of an entity class, base classes first. */
export function getFieldMetas(entity: Type<unknown>): FieldMeta[] {
  const chain: object[] = [];
  for (let c: object | null = entity; c && c !== Function.prototype; c = Object.getPrototypeOf(c))
    chain.unshift(c);
  const out = new Map<string, FieldMeta>();
  for (const c of chain) for (const f of FIELDS.get(c) ?? []) out.set(f.name, { ...f, owner: entity });
  return [...out.values()];
}

function humanize(name: string): string {
  const words = name.replace(/_id$/, '').replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

type Defaults = 'label' | 'filter' | 'search' | 'unique' | 'read_only' | 'write_only' | 'blank' | 'nullable';
type RegisterInput =
  | (Omit<ScalarFieldMeta, Defaults> & Partial<Pick<ScalarFieldMeta, Defaults>>)
  | (Omit<ForeignKeyMeta, Defaults> & Partial<Pick<ForeignKeyMeta, Defaults>>)
  | (Omit<ManyToManyMeta, Defaults> & Partial<Pick<ManyToManyMeta, Defaults>>);

function register(target: object, meta: RegisterInput): void {
  const ctor = (target as { constructor: object }).constructor;
  const list = FIELDS.get(ctor) ?? [];
  const full: FieldMeta = {
    ...meta,
    label: meta.label ?? humanize(meta.name),
    nullable: meta.nullable ?? false,
    blank: meta.blank ?? false,
    unique: meta.unique ?? false,
    read_only: meta.read_only ?? false,
    write_only: meta.write_only ?? false,
    filter: meta.filter ?? true,
    search: meta.search ?? false,
  };
  FIELDS.set(ctor, [...list.filter((f) => f.name !== full.name), full]);
}

/** class-validator constraints only run when a value is present: presence is checked by the write path. */
function whenPresent(target: object, prop: string): void {
  ValidateIf((o: Record<string, unknown>) => o[prop] !== null && o[prop] !== undefined)(target, prop);
}

function columnDefault(opts: FieldOptions): { default?: unknown } {
  if (opts.default === undefined || typeof opts.default === 'function') return {};
  return { default: opts.default };
}

type PropertyDecorator = (target: object, propertyKey: string) => void;

function scalar(
  kind: FieldKind,
  columnType: string,
  opts: FieldOptions,
  validators: PropertyDecorator[],
  extra: Partial<FieldMeta> = {},
  columnExtra: Record<string, unknown> = {},
): PropertyDecorator {
  return (target, prop) => {
    const column = opts.column ?? prop;
    Column({
      type: columnType as never,
      name: column,
      nullable: opts.nullable ?? false,
      unique: opts.unique ?? false,
      ...columnDefault(opts),
      ...columnExtra,
    })(target, prop);
    if (opts.index) Index()(target, prop);
    whenPresent(target, prop);
    for (const v of validators) v(target, prop);
    register(target, { ...opts, ...extra, name: prop, kind: kind as ScalarKind, column });
  };
}

const lengthMessage = (n: number) => ({ message: `Ensure this field has no more than ${n} characters.` });

export const Field = {
  /** Short text (varchar). `blank` defaults the value to ''. */
  char(opts: StringOptions = {}): PropertyDecorator {
    const max = opts.max_length ?? 255;
    return scalar(
      'string',
      'varchar',
      { ...opts, default: opts.default ?? (opts.blank && !opts.nullable ? '' : undefined) },
      [IsString(), MaxLength(max, lengthMessage(max))],
      { max_length: max },
      { length: max },
    );
  },
  text(opts: FieldOptions = {}): PropertyDecorator {
    return scalar(
      'text',
      'text',
      { ...opts, default: opts.default ?? (opts.blank && !opts.nullable ? '' : undefined) },
      [IsString()],
    );
  },
  slug(opts: StringOptions = {}): PropertyDecorator {
    const max = opts.max_length ?? 100;
    return scalar(
      'slug',
      'varchar',
      opts,
      [
        IsString(),
        MaxLength(max, lengthMessage(max)),
        Matches(/^[-a-zA-Z0-9_]+$/, {
          message: 'Enter a valid "slug" consisting of letters, numbers, underscores or hyphens.',
        }),
      ],
      { max_length: max },
      { length: max },
    );
  },
  /** RGB colour as 6 hex digits, as Nautobot stores it. */
  color(opts: FieldOptions = {}): PropertyDecorator {
    return scalar(
      'color',
      'varchar',
      { ...opts, default: opts.default ?? (opts.blank ? '' : undefined) },
      [IsString(), Matches(/^([0-9a-fA-F]{6})?$/, { message: 'Enter a valid hexadecimal RGB color code.' })],
      { max_length: 6 },
      { length: 6 },
    );
  },
  /** Write-only secret; the model's hooks are expected to hash it before it is stored. */
  password(opts: FieldOptions = {}): PropertyDecorator {
    // Length is checked on input by the model's hook; the stored value is the (longer) hash.
    return scalar(
      'password',
      'varchar',
      { ...opts, write_only: true },
      [IsString()],
      { max_length: 128 },
      { length: 255 },
    );
  },
  int(opts: BigIntOptions = {}): PropertyDecorator {
    const v: PropertyDecorator[] = [IsInt({ message: 'A valid integer is required.' })];
    if (opts.min_value !== undefined)
      v.push(
        Min(opts.min_value, { message: `Ensure this value is greater than or equal to ${opts.min_value}.` }),
      );
    if (opts.max_value !== undefined)
      v.push(
        Max(opts.max_value, { message: `Ensure this value is less than or equal to ${opts.max_value}.` }),
      );
    if (opts.choices)
      v.push(
        IsIn(
          opts.choices.map((c) => c.value),
          { message: 'Invalid choice.' },
        ),
      );
    return scalar(
      'integer',
      opts.big ? 'bigint' : 'integer',
      opts,
      v,
      { choices: opts.choices },
      opts.big
        ? { transformer: { to: (x: unknown) => x, from: (x: unknown) => (x === null ? null : Number(x)) } }
        : {},
    );
  },
  float(opts: NumberOptions = {}): PropertyDecorator {
    const v: PropertyDecorator[] = [IsNumber({}, { message: 'A valid number is required.' })];
    if (opts.min_value !== undefined)
      v.push(
        Min(opts.min_value, { message: `Ensure this value is greater than or equal to ${opts.min_value}.` }),
      );
    if (opts.max_value !== undefined)
      v.push(
        Max(opts.max_value, { message: `Ensure this value is less than or equal to ${opts.max_value}.` }),
      );
    return scalar('float', 'double precision', opts, v);
  },
  /** Exact decimal; carried as a number in the API (as Nautobot renders DecimalField). */
  decimal(opts: DecimalOptions): PropertyDecorator {
    const v: PropertyDecorator[] = [IsNumber({}, { message: 'A valid number is required.' })];
    if (opts.min_value !== undefined)
      v.push(
        Min(opts.min_value, { message: `Ensure this value is greater than or equal to ${opts.min_value}.` }),
      );
    if (opts.max_value !== undefined)
      v.push(
        Max(opts.max_value, { message: `Ensure this value is less than or equal to ${opts.max_value}.` }),
      );
    return scalar(
      'decimal',
      'numeric',
      opts,
      v,
      { precision: opts.precision, scale: opts.scale },
      { precision: opts.precision, scale: opts.scale },
    );
  },
  bool(opts: FieldOptions = {}): PropertyDecorator {
    return scalar('boolean', 'boolean', opts, [IsBoolean({ message: 'Must be a valid boolean.' })]);
  },
  /** The uuid primary key (declared once, on BaseModel). */
  primaryKey(): PropertyDecorator {
    return (target, prop) => {
      // Generated by the database (gen_random_uuid()) when a row is inserted without one; the write
      // path assigns ids itself so it knows them before inserting.
      PrimaryGeneratedColumn('uuid')(target, prop);
      register(target, { name: prop, kind: 'uuid', column: prop, read_only: true, label: 'ID' });
    };
  },
  uuid(opts: FieldOptions = {}): PropertyDecorator {
    return scalar('uuid', 'uuid', opts, [IsUUID('all', { message: 'Must be a valid UUID.' })]);
  },
  datetime(opts: FieldOptions = {}): PropertyDecorator {
    return scalar('datetime', 'timestamptz', opts, [IsDate({ message: 'Datetime has wrong format.' })]);
  },
  date(opts: FieldOptions = {}): PropertyDecorator {
    return scalar('date', 'date', opts, [IsString()]);
  },
  json(opts: FieldOptions = {}): PropertyDecorator {
    return scalar('json', 'jsonb', opts, []);
  },
  /**
   * One of `list`; with `blank`, also the empty string (the default then). `list` is read at each
   * check, so a list filled at start-up from a registry (secrets providers) is a valid list.
   */
  choice(list: readonly Choice[], opts: StringOptions = {}): PropertyDecorator {
    const max = opts.max_length ?? 50;
    const allowed = (v: unknown) => (opts.blank && v === '') || list.some((c) => c.value === v);
    return scalar(
      'choice',
      'varchar',
      { ...opts, default: opts.default ?? (opts.blank && !opts.nullable ? '' : undefined) },
      [ValidateBy({ name: 'isIn', validator: { validate: allowed } }, { message: 'Invalid choice.' })],
      { choices: list, max_length: max },
      { length: max },
    );
  },
  /** An IP network (PostgreSQL `cidr`): host bits must be zero. */
  cidr(opts: FieldOptions = {}): PropertyDecorator {
    return scalar('cidr', 'cidr', opts, [IsString()]);
  },
  /** An IP address with prefix length (PostgreSQL `inet`). */
  inet(opts: FieldOptions = {}): PropertyDecorator {
    return scalar('inet', 'inet', opts, [IsString()]);
  },
  mac(opts: FieldOptions = {}): PropertyDecorator {
    return scalar('mac', 'macaddr', opts, [IsMACAddress({ message: 'Enter a valid MAC address.' })]);
  },
  array(opts: ArrayOptions): PropertyDecorator {
    return scalar(
      'array',
      opts.item === 'integer' ? 'integer' : 'varchar',
      { default: opts.default ?? (() => []), ...opts },
      [],
      { item: opts.item, choices: opts.item_choices, content_types: opts.content_types },
      { array: true, default: opts.default === undefined ? () => "'{}'" : undefined },
    );
  },

  /**
   * A foreign key: a `<name>_id` uuid column (indexed) and, for class targets, the TypeORM
   * relation and its database constraint. `on_delete` defaults to PROTECT: deleting a referenced
   * object answers 409. A label target (`'ipam.vlan'`) points at a model of a plugin that
   * depends on this one; the column is plain and that plugin's migration adds the constraint.
   */
  fk(target: RelationTarget, opts: ForeignKeyOptions = {}): PropertyDecorator {
    return (proto, prop) => {
      const column = opts.column ?? `${prop}_id`;
      const onDelete = opts.on_delete ?? 'PROTECT';
      Column({ type: 'uuid', name: column, nullable: opts.nullable ?? false, unique: opts.unique ?? false })(
        proto,
        column,
      );
      if (!opts.unique) Index()(proto, column);
      if (typeof target === 'function') {
        ManyToOne(target as () => Type<unknown>, {
          nullable: opts.nullable ?? false,
          onDelete: onDelete === 'CASCADE' ? 'CASCADE' : onDelete === 'SET_NULL' ? 'SET NULL' : 'RESTRICT',
        })(proto, prop);
        JoinColumn({ name: column })(proto, prop);
      }
      register(proto, { ...opts, name: prop, kind: 'fk', column, target, on_delete: onDelete });
    };
  },

  /**
   * A many-to-many relation through a join table. Plain join tables with a class target are
   * declared to TypeORM (so migrations create them); generic ones (with a `discriminator`) and
   * label targets belong to an entity the plugin declares itself.
   */
  m2m(target: RelationTarget, opts: ManyToManyOptions): PropertyDecorator {
    return (proto, prop) => {
      if (!opts.through.discriminator && typeof target === 'function') {
        ManyToMany(target as () => Type<unknown>)(proto, prop);
        JoinTable({
          name: opts.through.table,
          joinColumn: { name: opts.through.source, referencedColumnName: 'id' },
          inverseJoinColumn: { name: opts.through.target, referencedColumnName: 'id' },
        })(proto, prop);
      }
      register(proto, { blank: true, ...opts, name: prop, kind: 'm2m', column: null, target });
    };
  },
};

type VirtualInput =
  | (Partial<Omit<ScalarFieldMeta, 'column'>> & Pick<ScalarFieldMeta, 'name' | 'kind'>)
  | (Partial<ManyToManyMeta> & Pick<ManyToManyMeta, 'name' | 'kind' | 'target' | 'through'>);

/** Declare a field that a model feature contributes (no column on the entity itself). */
export function virtualField(meta: VirtualInput): FieldMeta {
  const common = {
    label: meta.label ?? humanize(meta.name),
    nullable: false,
    blank: true,
    unique: false,
    read_only: false,
    write_only: false,
    filter: true,
    search: false,
  };
  if (meta.kind === 'm2m') return { ...common, ...meta, column: null } as ManyToManyMeta;
  return { ...common, ...meta, column: null } as ScalarFieldMeta;
}
