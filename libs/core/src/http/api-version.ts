import type { NextFunction, Request, Response } from 'express';
import { PlinthError } from '@plinth/plugin-sdk';
import { API_VERSION } from '../version';
import { isApiPath } from './paths';
import { queryParams } from './request-context.middleware';

/** REST API versions Plinth answers (Nautobot 2.x's minor versions up to the current one). */
export const SUPPORTED_API_VERSIONS: readonly string[] = (() => {
  const [major, minor] = API_VERSION.split('.').map(Number);
  return Array.from({ length: minor + 1 }, (_, i) => `${major}.${i}`);
})();

/** 406: the client asked for an API version Plinth does not serve. */
export class NotAcceptableError extends PlinthError {
  constructor(message: string) {
    super(406, message);
  }
}

/** The version a request asks for: `Accept: application/json; version=2.1` or `?api_version=2.1`. */
export function requestedApiVersion(req: Request): { version: string; from: string } | null {
  const param = queryParams(req).api_version?.[0];
  if (param !== undefined && param !== '') return { version: param.trim(), from: 'query parameter' };
  const accept = req.headers.accept ?? '';
  const m = /;\s*version\s*=\s*"?([^;,"\s]*)"?/i.exec(accept);
  return m ? { version: m[1], from: '"Accept" header' } : null;
}

/**
 * API version negotiation as Nautobot's (Django REST framework's AcceptHeaderVersioning): a
 * supported version is echoed in `API-Version`; any other is a 406 naming the supported ones.
 */
export function apiVersionMiddleware(req: Request, res: Response, next: NextFunction): void {
  if (!isApiPath(req.path)) return next();
  const asked = requestedApiVersion(req);
  if (!asked) return next();
  if (!SUPPORTED_API_VERSIONS.includes(asked.version)) {
    return next(
      new NotAcceptableError(
        `Invalid version in ${asked.from}. Supported versions are ${SUPPORTED_API_VERSIONS.join(', ')}.`,
      ),
    );
  }
  res.setHeader('API-Version', asked.version);
  next();
}
