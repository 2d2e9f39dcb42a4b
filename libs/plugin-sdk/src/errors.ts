/** Field errors as the REST API returns them: `{field: [message, ...]}`. `__all__` holds non-field errors. */
export type FieldErrors = Record<string, string[]>;

export const NON_FIELD_ERRORS = '__all__';

/**
 * Error classes are checked across copies of the SDK: a plugin built outside this repository
 * may load its own copy, and core must still recognise its ValidationError. Each SDK error
 * carries the names of its SDK classes under a `Symbol.for` key, and `instanceof` an SDK error
 * class compares those names instead of prototypes. Classes a plugin derives keep the ordinary
 * prototype check.
 */
const KINDS = Symbol.for('plinth:error-kinds');
const SDK_ERROR_CLASSES = new Map<Function, string>();

function sdkErrorClass(cls: Function, kind: string): void {
  SDK_ERROR_CLASSES.set(cls, kind);
}

export class PlinthError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
    const kinds: string[] = [];
    for (
      let c: Function | null = new.target;
      c && c !== Error;
      c = Object.getPrototypeOf(c) as Function | null
    ) {
      const kind = SDK_ERROR_CLASSES.get(c);
      if (kind) kinds.push(kind);
    }
    Object.defineProperty(this, KINDS, { value: kinds });
  }

  static override [Symbol.hasInstance]<T>(
    this: abstract new (...args: never[]) => T,
    value: unknown,
  ): value is T {
    const kind = SDK_ERROR_CLASSES.get(this);
    if (!kind) return Function.prototype[Symbol.hasInstance].call(this, value);
    const kinds =
      typeof value === 'object' && value !== null ? (value as Record<symbol, unknown>)[KINDS] : null;
    return Array.isArray(kinds) && kinds.includes(kind);
  }
}
sdkErrorClass(PlinthError, 'PlinthError');

/** 400. `errors` is a field-error map, or (bulk writes) one map per submitted item. */
export class ValidationError extends PlinthError {
  constructor(readonly errors: FieldErrors | FieldErrors[]) {
    super(400, ValidationError.summarize(errors));
  }

  static field(field: string, message: string): ValidationError {
    return new ValidationError({ [field]: [message] });
  }

  static nonField(message: string): ValidationError {
    return new ValidationError({ [NON_FIELD_ERRORS]: [message] });
  }

  private static summarize(errors: FieldErrors | FieldErrors[]): string {
    const maps = Array.isArray(errors) ? errors : [errors];
    const parts = maps.flatMap((m) => Object.entries(m).map(([k, v]) => `${k}: ${v.join(' ')}`));
    return parts.join('; ') || 'Invalid input.';
  }
}
sdkErrorClass(ValidationError, 'ValidationError');

/** Collects field errors, then throws them all at once. */
export class ErrorCollector {
  readonly errors: FieldErrors = {};

  add(field: string, message: string): void {
    // Own properties only: a submitted key such as `__proto__` or `constructor` is a field name here.
    if (!Object.hasOwn(this.errors, field))
      Object.defineProperty(this.errors, field, {
        value: [],
        enumerable: true,
        writable: true,
        configurable: true,
      });
    this.errors[field].push(message);
  }

  merge(errors: FieldErrors): void {
    for (const [field, messages] of Object.entries(errors)) for (const m of messages) this.add(field, m);
  }

  get empty(): boolean {
    return Object.keys(this.errors).length === 0;
  }

  throwIfAny(): void {
    if (!this.empty) throw new ValidationError(this.errors);
  }
}

export class NotFoundError extends PlinthError {
  constructor(message = 'Not found.') {
    super(404, message);
  }
}
sdkErrorClass(NotFoundError, 'NotFoundError');

/** 403: authenticated (or not) but not allowed. Nautobot answers 403 for missing credentials too. */
export class PermissionDeniedError extends PlinthError {
  constructor(message = 'You do not have permission to perform this action.') {
    super(403, message);
  }
}
sdkErrorClass(PermissionDeniedError, 'PermissionDeniedError');

export interface DependentObject {
  object_type: string;
  id: string;
  display: string;
}

/** 409: the object is referenced by protected relations and cannot be deleted. */
export class ProtectedError extends PlinthError {
  constructor(
    message: string,
    readonly dependents: DependentObject[],
  ) {
    super(409, message);
  }
}
sdkErrorClass(ProtectedError, 'ProtectedError');

export class ConflictError extends PlinthError {
  constructor(message: string) {
    super(409, message);
  }
}
sdkErrorClass(ConflictError, 'ConflictError');

/** A bad filter value, thrown by a filter's `apply`: reported as a 400 error on the parameter. */
export class FilterValueError extends Error {}
