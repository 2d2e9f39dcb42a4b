import { AsyncLocalStorage } from 'node:async_hooks';
import type { ObjectRef } from '@plinth/plugin-sdk';

/**
 * Rows a Git repository's content handler makes belong to the repository (`owner_content_type`,
 * `owner_object_id`): only writes run inside `asOwner(repository, ...)` (the repository's sync
 * and clean-up) may create, change or delete them; users are told to change the repository.
 */
const owners = new AsyncLocalStorage<ObjectRef>();

export function asOwner<T>(owner: ObjectRef, fn: () => Promise<T>): Promise<T> {
  return owners.run(owner, fn);
}

export function currentOwner(): ObjectRef | undefined {
  return owners.getStore();
}

/** Why this write of an owned row is refused, or null when the owner itself writes it. */
export function ownedRefusal(record: {
  owner_content_type?: unknown;
  owner_object_id?: unknown;
}): string | null {
  if (!record.owner_object_id) return null;
  const owner = currentOwner();
  if (owner && owner.id === record.owner_object_id) return null;
  return `This object is provided by a Git repository (${String(record.owner_content_type)} ${String(record.owner_object_id)}); change it there and sync.`;
}
