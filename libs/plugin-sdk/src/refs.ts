import type { Rec } from './model';

const REF = Symbol.for('plinth:model-ref');
/** Labels given to refs when their plugin is loaded (shared by every copy of the SDK). */
const BOUND: WeakMap<object, string> = ((globalThis as Record<symbol, unknown>)[
  Symbol.for('plinth:model-ref-labels')
] ??= new WeakMap<object, string>()) as WeakMap<object, string>;

/**
 * A typed handle on a model: what `defineModel` returns, and what the SDK offers for the core
 * models plugins commonly point at (`CoreModels.device`). Reads, writes and foreign keys take it
 * wherever they take a label, and type records from it.
 */
export interface ModelRef<E = unknown> {
  readonly [REF]: true;
  /** `dcim.device`. A plugin model's label is known once its plugin is loaded. */
  readonly label: string;
  /** Phantom: the entity (or record shape) the ref stands for. */
  readonly __entity?: E;
}

/**
 * A model named by its typed ref, its label (for models of plugins one cannot import), or its
 * registered description (ModelMeta).
 */
export type ModelTarget<E = unknown> = ModelRef<E> | { readonly label: string } | string;

export function isModelRef(v: unknown): v is ModelRef {
  return typeof v === 'object' && v !== null && (v as Record<symbol, unknown>)[REF] === true;
}

/** The label of a ref or label. */
export function labelOf(target: ModelTarget<unknown>): string {
  return typeof target === 'string' ? target : target.label;
}

/** A ref for a label (`modelRef<WidgetRecord>('acme.widget')`), typed by the caller. */
export function modelRef<E>(label: string): ModelRef<E> {
  return Object.freeze({ [REF]: true as const, label });
}

/**
 * Make `target` a ref whose label is given later, when the defining plugin is loaded (`fixed`
 * when known up front). @internal
 */
export function makeLazyRef<T extends object, E>(
  target: T,
  fixed: string | null,
  describe: string,
): T & ModelRef<E> {
  Object.defineProperty(target, REF, { value: true, enumerable: false });
  Object.defineProperty(target, 'label', {
    enumerable: false,
    get(): string {
      const label = BOUND.get(target) ?? fixed;
      if (!label) throw new Error(`model ${describe} is not registered yet (its plugin is not loaded)`);
      return label;
    },
  });
  return target as T & ModelRef<E>;
}

/** Give a lazily labelled ref its label. Called by the host when it registers the model. @internal */
export function bindRef(ref: object, label: string): void {
  BOUND.set(ref, label);
}

type Primitive = string | number | boolean | bigint | symbol | null | undefined;

/** A related object as a record holds it: its id. */
type RecordValue<V> = V extends Primitive | Date
  ? V
  : V extends readonly (infer I)[]
    ? I extends { id: string }
      ? string[]
      : V
    : V extends { id: string }
      ? string
      : V;

type DataKeys<E> = { [K in keyof E]-?: E[K] extends (...args: never[]) => unknown ? never : K }[keyof E];

/**
 * A stored object of entity `E`: its field values, foreign keys as ids and many-to-many fields
 * as id lists (`{id, name, status: '<uuid>', tags: ['<uuid>']}`). Only `id` is known when the
 * model is named by label. (No conditional type at the top: it would make TypeScript measure
 * model definitions as invariant, and a typed model would not fit the registry's list.)
 */
export type RecordOf<E> = { id: string } & { [K in DataKeys<E>]: RecordValue<E[K]> } & Rec;

/** What a reference accepts on input: a uuid, a natural key (`"Active"`) or attributes (`{name: "Active"}`). */
export type RefInput = string | Readonly<Record<string, unknown>>;

type InputValue<V> = V extends Primitive | Date
  ? V
  : V extends readonly (infer I)[]
    ? I extends { id: string }
      ? RefInput[]
      : V
    : V extends { id: string }
      ? RefInput
      : V;

/** Input for creating or updating an object of entity `E` (every field optional; defaults apply). */
export type InputOf<E> = {
  [K in Exclude<DataKeys<E>, 'id' | 'created' | 'last_updated'>]?: InputValue<E[K]>;
} & Rec;
