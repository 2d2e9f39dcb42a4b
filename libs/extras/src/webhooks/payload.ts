import type { ObjectChangeEvent } from '@plinth/plugin-sdk';

type Snapshot = Record<string, unknown> | null;

/** Nautobot's `differences`: the changed keys' old values (`removed`) and new values (`added`). */
function differences(pre: Snapshot, post: Snapshot): { removed: Snapshot; added: Snapshot } {
  if (!pre || !post) return { removed: pre, added: post };
  const removed: Record<string, unknown> = {};
  const added: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(pre), ...Object.keys(post)])) {
    if (JSON.stringify(pre[key]) === JSON.stringify(post[key])) continue;
    if (key in pre) removed[key] = pre[key];
    if (key in post) added[key] = post[key];
  }
  return { removed, added };
}

/**
 * Nautobot's webhook body: `{event, timestamp, model, username, request_id, data, snapshots}`.
 * `model` is the model name (`device`), `data` the object as the change log stores it (after
 * the change; before it for deletions).
 */
export function nautobotPayload(e: ObjectChangeEvent): Record<string, unknown> {
  const { prechange, postchange } = e.snapshots;
  return {
    event: e.event,
    timestamp: e.timestamp,
    model: e.model.slice(e.model.indexOf('.') + 1),
    username: e.username,
    request_id: e.request_id,
    data: postchange ?? prechange,
    snapshots: { prechange, postchange, differences: differences(prechange, postchange) },
  };
}
