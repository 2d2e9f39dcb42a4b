/** Field errors as the REST API returns them: `{field: [message, ...]}`. `__all__` holds non-field errors. */
export type FieldErrors = Record<string, string[]>;

export const NON_FIELD_ERRORS = '__all__';

export class PlinthError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

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

/** Collects field errors, then throws them all at once. */
export class ErrorCollector {
  readonly errors: FieldErrors = {};

  add(field: string, message: string): void {
    (this.errors[field] ??= []).push(message);
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

/** 403: authenticated (or not) but not allowed. Nautobot answers 403 for missing credentials too. */
export class PermissionDeniedError extends PlinthError {
  constructor(message = 'You do not have permission to perform this action.') {
    super(403, message);
  }
}

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

export class ConflictError extends PlinthError {
  constructor(message: string) {
    super(409, message);
  }
}
