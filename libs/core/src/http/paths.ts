/**
 * Is this an API path? Express matches routes case-insensitively, so `/API/...` reaches the same
 * controllers as `/api/...`: every check that tells the API from the web UI must agree with it.
 */
export function isApiPath(path: string): boolean {
  return /^\/api(\/|$)/i.test(path);
}
