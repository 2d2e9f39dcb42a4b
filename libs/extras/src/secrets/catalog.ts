import type { Choice, Registry, SecretsProvider } from '@plinth/plugin-sdk';

/**
 * The providers of the running app, by slug. Filled at start-up from the SecretsProviders
 * registry (SecretsServiceImpl); `PROVIDER_CHOICES` is the same list as the `provider` field's
 * choices (read at each check, so forms, OpenAPI and validation see the registered providers).
 */
const providers = new Map<string, SecretsProvider>();
export const PROVIDER_CHOICES: Choice[] = [];

export function loadProviders(registry: Registry<SecretsProvider>): void {
  providers.clear();
  for (const p of registry.items()) {
    if (providers.has(p.slug)) throw new Error(`Two secrets providers are named ${p.slug}.`);
    providers.set(p.slug, p);
  }
  PROVIDER_CHOICES.splice(
    0,
    PROVIDER_CHOICES.length,
    ...[...providers.values()].map((p) => ({ value: p.slug, label: p.label })),
  );
}

export function provider(slug: string): SecretsProvider | undefined {
  return providers.get(slug);
}

/** Errors of a secret's parameters for its provider, keyed `parameters` or `parameters.<name>`. */
export function parameterErrors(p: SecretsProvider, parameters: unknown): Record<string, string> {
  if (typeof parameters !== 'object' || parameters === null || Array.isArray(parameters))
    return { parameters: "Enter an object of the provider's parameters." };
  const given = parameters as Record<string, unknown>;
  const errors: Record<string, string> = {};
  const known = new Set(p.parameters.map((d) => d.name));
  for (const key of Object.keys(given))
    if (!known.has(key))
      errors[`parameters.${key}`] =
        `${p.label} has no parameter "${key}" (it takes ${[...known].join(', ') || 'none'}).`;
  for (const d of p.parameters) {
    const v = given[d.name];
    if (v === undefined || v === null || v === '') {
      if (d.required !== false) errors[`parameters.${d.name}`] = 'This parameter is required.';
      continue;
    }
    if (typeof v !== 'string') errors[`parameters.${d.name}`] = 'Enter text.';
    else if (d.pattern && !new RegExp(`^(?:${d.pattern})$`).test(v))
      errors[`parameters.${d.name}`] = d.pattern_message ?? `Enter a value matching ${d.pattern}.`;
  }
  return errors;
}
