// eslint-disable-next-line @typescript-eslint/no-require-imports
const pkg = require('../package.json') as { version: string };

/** The Plinth core version plugins declare compatibility with. */
export const PLINTH_VERSION: string = pkg.version;

/** REST API version (Nautobot-compatible clients read it from the `API-Version` header). */
export const API_VERSION = '2.4';
