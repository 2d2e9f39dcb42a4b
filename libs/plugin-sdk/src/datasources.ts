import type { ObjectsApi } from './model';
import { createRegistry } from './registry';

/** A Git repository as content handlers get it (`extras.gitrepository`). */
export interface GitRepositoryInfo {
  id: string;
  name: string;
  slug: string;
  remote_url: string;
  branch: string;
  current_head: string;
  provided_contents: readonly string[];
}

/** What a content handler may use: writes inside the sync's transaction, the sync's log. */
export interface DatasourceContext {
  /**
   * Writes attributed to the sync (source `job`). Rows the handler makes for a repository are
   * its own (see ExportTemplate's `owner_*`): users cannot edit them, only the next sync can.
   */
  objects: ObjectsApi;
  log(message: string): void;
  /**
   * A failure of part of the content (a file that cannot be loaded): logged, the handler goes on
   * with the rest, and the sync ends as a failure once every handler has run (Nautobot's way).
   * Absent when the handler is called to clean up.
   */
  log_failure?(message: string): void;
}

/**
 * A kind of content a Git repository may provide (Nautobot's `DatasourceContent`): offered as a
 * choice of the repository's `provided_contents`, and called after each sync of a repository
 * that provides it, with the checked-out working tree (symbolic links in it are plain files
 * holding the link's text, so reading a path inside it stays inside). Called with `checkoutPath` null when the
 * repository is deleted or stops providing the content: remove what it made for the repository.
 */
export interface DatasourceContent {
  /** Unique: `export templates`, `<plugin>.<name>` for plugins. */
  name: string;
  label: string;
  /** Model labels the content becomes (`extras.exporttemplate`), for documentation. */
  content_types: readonly string[];
  callback(repository: GitRepositoryInfo, checkoutPath: string | null, ctx: DatasourceContext): Promise<void>;
}
export const DatasourceContents = createRegistry<DatasourceContent>('datasource-contents');
