import { getMetadataStorage } from 'class-validator';

type Storage = ReturnType<typeof getMetadataStorage>;
type Lookup = Storage['getTargetValidationMetadatas'];

const MEMOIZED = Symbol.for('plinth:class-validator-lookup-memoized');

/**
 * class-validator recomputes a class's constraints at every `validate()`, scanning every
 * registered class for inherited ones: a bulk write of 1,000 objects paid that 1,000 times (a
 * third of the write path's validation time). The lookup is memoized per class for plain calls
 * (no schema, groups or `always`, the write path's), and forgotten whenever a constraint is
 * registered, so a class decorated later is still seen whole. Idempotent.
 */
export function memoizeConstraintLookup(storage: Storage = getMetadataStorage()): void {
  const marked = storage as Storage & { [MEMOIZED]?: true };
  if (marked[MEMOIZED]) return;
  marked[MEMOIZED] = true;
  const lookup: Lookup = storage.getTargetValidationMetadatas.bind(storage);
  const add = storage.addValidationMetadata.bind(storage);
  let memo = new Map<unknown, ReturnType<Lookup>>();
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    if (schema || always || strictGroups || groups?.length)
      return lookup(target, schema, always, strictGroups, groups);
    let found = memo.get(target);
    if (!found) memo.set(target, (found = lookup(target, schema, always, strictGroups, groups)));
    return found;
  };
  storage.addValidationMetadata = (metadata) => {
    memo = new Map();
    add(metadata);
  };
}
