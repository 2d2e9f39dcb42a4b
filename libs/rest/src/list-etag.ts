import { createHash } from 'node:crypto';
import type { Request } from 'express';
import type { ModelMeta } from '@plinth/plugin-sdk';

/**
 * The weak ETag of a list page: what the page was read at (the data version, the exact count)
 * and everything else its body depends on (the model, the user whose permissions scoped it, the
 * URL with its filters and paging, the host links are built for, the API version asked for).
 * A few bytes hashed instead of the whole body.
 */
export function listETag(
  req: Request,
  userId: string | null,
  model: ModelMeta,
  count: number,
  version: string,
): string {
  const hash = createHash('sha1')
    .update(
      [
        model.label,
        userId ?? '',
        req.protocol,
        req.get('host') ?? '',
        req.originalUrl,
        req.get('accept') ?? '',
        version,
      ].join('\n'),
    )
    .digest('base64url');
  return `W/"${count}-${hash}"`;
}

/**
 * Does `If-None-Match` name `tag`? Weak comparison (RFC 9110 13.1.2), `*` matches any current
 * representation.
 */
export function matchesIfNoneMatch(header: string | undefined, tag: string): boolean {
  if (!header) return false;
  const opaque = (t: string) => t.trim().replace(/^W\//, '');
  const wanted = opaque(tag);
  return header.split(',').some((t) => t.trim() === '*' || opaque(t) === wanted);
}
