import type { MigrationClass } from '@plinth/plugin-sdk';
import { CoreInitial1795315519040 } from './migrations/1795315519040-CoreInitial';

/** Migrations of the platform tables (users, tokens, permissions, change log, sessions), oldest first. */
export const CORE_MIGRATIONS: MigrationClass[] = [CoreInitial1795315519040];
