import { CoreModels, type ObjectsApi, type ProviderRecord } from '@plinth/plugin-sdk';
import { EMAIL_PROVIDER_NAMES } from '../parsers';
import { senderDomain } from '../parsers';
import type { MaintenanceSettings } from '../settings';

/**
 * The Plinth provider of a notification, tried in order:
 * 1. `provider_map[key]` for the notification's provider (X-MAINTNOTE-PROVIDER) or the sender's
 *    domain or a parent domain of it (keys compared case-insensitively);
 * 2. a provider named like the notification's provider;
 * 3. for provider-specific parsers, a provider with one of the parser's usual names (`AWS`, `Cogent`).
 * Returns the provider, or the keys that were tried (for the reason kept on the notification).
 */
export async function matchProvider(
  objects: ObjectsApi,
  settings: MaintenanceSettings,
  hint: { provider: string | null; sender: string; parser: string },
): Promise<{ provider: ProviderRecord } | { tried: string[] }> {
  const map = new Map(Object.entries(settings.provider_map).map(([k, v]) => [k.toLowerCase(), v]));
  const keys: string[] = [];
  if (hint.provider) keys.push(hint.provider.toLowerCase());
  const domain = senderDomain(hint.sender);
  const parts = domain.split('.');
  for (let i = 0; i < parts.length - 1; i++) keys.push(parts.slice(i).join('.'));
  const names: string[] = [];
  for (const k of keys) {
    const name = map.get(k);
    if (name) names.push(name);
  }
  if (hint.provider) names.push(hint.provider);
  names.push(...(EMAIL_PROVIDER_NAMES[hint.parser] ?? []));
  for (const name of names) {
    const [found] = await objects.find(CoreModels.provider, { name__ie: name }, { limit: 1 });
    if (found) return { provider: found };
  }
  return { tried: [...new Set(names.length ? names : keys)] };
}
