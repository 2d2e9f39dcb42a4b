import type { MigrationClass } from '@plinth/plugin-sdk';
import { CoreInitial1795315519040 } from './migrations/1795315519040-CoreInitial';
import { CoreLoginFailures1795400000000 } from './migrations/1795400000000-CoreLoginFailures';
import { CoreEventOutbox1796700000000 } from './migrations/1796700000000-CoreEventOutbox';

/** Migrations of the platform tables (users, tokens, permissions, change log, sessions), oldest first. */
export const CORE_MIGRATIONS: MigrationClass[] = [
  CoreInitial1795315519040,
  CoreLoginFailures1795400000000,
  CoreEventOutbox1796700000000,
];
