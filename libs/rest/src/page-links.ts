import type { Request } from 'express';
import { CURSOR_PARAM } from '@plinth/core';

/**
 * `next`/`previous` links of a list page: the request's URL with its own paging parameters
 * replaced, the shared part built once per page.
 */
export class PageLinks {
  private readonly prefix: string;

  constructor(
    req: Request,
    baseUrl: string,
    private readonly limit: number,
  ) {
    const url = new URL(req.originalUrl, baseUrl);
    url.searchParams.delete('offset');
    url.searchParams.delete(CURSOR_PARAM);
    url.searchParams.set('limit', String(limit));
    this.prefix = `${baseUrl}${url.pathname}${url.search}`;
  }

  /** Offset paging's links (Nautobot's): none past the count, none before the first row. */
  offsets(count: number, offset: number): { next: string | null; previous: string | null } {
    return {
      next: offset + this.limit < count ? this.at(offset + this.limit) : null,
      previous: offset > 0 ? this.at(Math.max(0, offset - this.limit)) : null,
    };
  }

  /** The link to the keyset page after a cursor. */
  cursor(cursor: string): string {
    return `${this.prefix}&${CURSOR_PARAM}=${encodeURIComponent(cursor)}`;
  }

  private at(offset: number): string {
    return offset > 0 ? `${this.prefix}&offset=${offset}` : this.prefix;
  }
}
