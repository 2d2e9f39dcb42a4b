import type { Choice, DatasourceContent } from '@plinth/plugin-sdk';

/**
 * The content handlers of the running app (DatasourceContents), filled at start-up by
 * GitRepositories; `CONTENT_CHOICES` is the `provided_contents` field's choice list.
 */
const contents = new Map<string, DatasourceContent>();
export const CONTENT_CHOICES: Choice[] = [];

/** Where checkouts live (PLINTH_GIT_ROOT), for the delete hook. */
export const gitRoot = { path: '' };

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
