import express, { type NextFunction, type Request, type Response } from 'express';
import { ValidationError } from '@plinth/plugin-sdk';

/**
 * JSON bodies: any `application/json` content type, including pynautobot's `application/json;`
 * (a trailing `;` that strict parsers reject). Malformed JSON is a 400 naming the problem.
 */
function isJson(req: { headers: Request['headers'] }): boolean {
  const ct = req.headers['content-type'];
  return typeof ct === 'string' && /^\s*application\/(([\w.+-]+\+)?json)\s*(;|$)/i.test(ct);
}

const json = express.json({ type: isJson, limit: '50mb', strict: false });
const form = express.urlencoded({ extended: false, limit: '10mb' });

export function bodyParserMiddleware(req: Request, res: Response, next: NextFunction): void {
  const parser = isJson(req) ? json : form;
  parser(req, res, (err?: unknown) => {
    if (!err) return next();
    const e = err as { type?: string; message?: string; status?: number };
    if (e.type === 'entity.parse.failed') {
      return next(new ValidationError({ __all__: [`JSON parse error - ${e.message ?? 'malformed JSON'}`] }));
    }
    if (e.type === 'entity.too.large')
      return next(new ValidationError({ __all__: ['Request body is too large.'] }));
    return next(err);
  });
}
