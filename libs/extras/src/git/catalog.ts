import type { Choice, DatasourceContent } from '@plinth/plugin-sdk';

/**
 * The content handlers of the running app (DatasourceContents), filled at start-up by
 * GitRepositories; `CONTENT_CHOICES` is the `provided_contents` field's choice list.
 */
const contents = new Map<string, DatasourceContent>();
export const CONTENT_CHOICES: Choice[] = [];

/** Where checkouts live (PLINTH_GIT_ROOT), for the delete hook. */
export const gitRoot = { path: '' };

/** PLINTH_GIT_JOBS: repositories may provide jobs (checked when `provided_contents` is written). */
export const gitJobsAllowed = { value: false };

/** Nautobot's value of the jobs content in `provided_contents`. */
export const GIT_JOBS_CONTENT = 'extras.job';

/** The error of a `provided_contents` asking for jobs while the operator has not allowed them. */
export function providedContentsRefusal(value: unknown): string | undefined {
  if (!Array.isArray(value) || !value.includes(GIT_JOBS_CONTENT) || gitJobsAllowed.value) return undefined;
  return 'Jobs from Git repositories are turned off: they run code fetched from the remote, so an operator must allow them first (PLINTH_GIT_JOBS=true).';
}

export function loadContents(items: readonly DatasourceContent[], root: string): void {
  contents.clear();
  for (const c of items) {
    if (contents.has(c.name)) throw new Error(`Two Git content handlers are named ${c.name}.`);
    contents.set(c.name, c);
  }
  CONTENT_CHOICES.splice(
    0,
    CONTENT_CHOICES.length,
    ...[...contents.values()].map((c) => ({ value: c.name, label: c.label })),
  );
  gitRoot.path = root;
}

export function content(name: string): DatasourceContent | undefined {
  return contents.get(name);
}
