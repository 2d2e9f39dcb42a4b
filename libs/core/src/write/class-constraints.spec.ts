import { IsInt, MaxLength, getMetadataStorage, validate } from 'class-validator';
import { memoizeConstraintLookup } from './class-constraints';

/* The memoized constraint lookup answers as class-validator's own, also for classes decorated later. */

class Widget {
  @MaxLength(3)
  name!: string;
}

describe('memoizeConstraintLookup', () => {
  beforeAll(() => memoizeConstraintLookup());

  it('keeps validating as before, and answers repeated lookups from its memo', async () => {
    const storage = getMetadataStorage();
    const first = storage.getTargetValidationMetadatas(Widget, '', false, false);
    expect(storage.getTargetValidationMetadatas(Widget, '', false, false)).toBe(first);
    const w = Object.assign(new Widget(), { name: 'too long' });
    expect((await validate(w)).map((e) => e.property)).toEqual(['name']);
    expect(await validate(Object.assign(new Widget(), { name: 'ok' }))).toEqual([]);
  });

  it('sees constraints registered after a lookup (a class decorated later)', async () => {
    const storage = getMetadataStorage();
    const before = storage.getTargetValidationMetadatas(Widget, '', false, false);
    class Gadget {
      @IsInt()
      count!: unknown;
    }
    expect(storage.getTargetValidationMetadatas(Widget, '', false, false)).not.toBe(before);
    expect((await validate(Object.assign(new Gadget(), { count: 'x' }))).map((e) => e.property)).toEqual([
      'count',
    ]);
  });

  it('is idempotent', () => {
    const storage = getMetadataStorage();
    const lookup = storage.getTargetValidationMetadatas;
    memoizeConstraintLookup();
    expect(storage.getTargetValidationMetadatas).toBe(lookup);
  });
});
