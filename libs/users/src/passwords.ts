import type { UsersSettings } from './settings';

let common: Set<string> | null = null;

/** The common-password list, loaded on first use (about 49,000 entries). */
function commonPasswords(): Set<string> {
  if (!common) {
    // Required here: the dictionaries are large and only password checks need them.
    type Dictionaries = typeof import('@zxcvbn-ts/language-common');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { dictionary } = require('@zxcvbn-ts/language-common') as Dictionaries;
    common = new Set((dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase()));
  }
  return common;
}

/**
 * Ratcliff/Obershelp similarity (Python's difflib.SequenceMatcher.ratio, which Django's
 * UserAttributeSimilarityValidator uses): twice the matched characters over the total length.
 */
export function similarity(a: string, b: string): number {
  if (!a.length && !b.length) return 1;
  const matches = (s1: string, s2: string): number => {
    if (!s1.length || !s2.length) return 0;
    let best = 0;
    let i1 = 0;
    let i2 = 0;
    for (let i = 0; i < s1.length; i++) {
      for (let j = 0; j < s2.length; j++) {
        let k = 0;
        while (i + k < s1.length && j + k < s2.length && s1[i + k] === s2[j + k]) k++;
        if (k > best) {
          best = k;
          i1 = i;
          i2 = j;
        }
      }
    }
    if (best === 0) return 0;
    return (
      best + matches(s1.slice(0, i1), s2.slice(0, i2)) + matches(s1.slice(i1 + best), s2.slice(i2 + best))
    );
  };
  return (2 * matches(a, b)) / (a.length + b.length);
}

export interface PasswordOwner {
  username?: unknown;
  first_name?: unknown;
  last_name?: unknown;
  email?: unknown;
}

/**
 * Django's default password validators (Nautobot enforces them on every password it sets, REST
 * included: CVE-2026-34203): minimum length, not too similar to the user's attributes, not a
 * common password, not entirely numeric. Returns the messages of the checks that fail.
 */
export function passwordProblems(password: string, owner: PasswordOwner, policy: UsersSettings): string[] {
  const problems: string[] = [];
  if (password.length < policy.password_min_length)
    problems.push(
      `This password is too short. It must contain at least ${policy.password_min_length} characters.`,
    );
  if (policy.password_reject_similar) {
    const lower = password.toLowerCase();
    for (const [attr, label] of [
      ['username', 'username'],
      ['first_name', 'first name'],
      ['last_name', 'last name'],
      ['email', 'email address'],
    ] as const) {
      const value = owner[attr];
      if (typeof value !== 'string' || !value) continue;
      // As Django: the whole value and its parts (split at punctuation) are compared.
      const parts = [value, ...value.split(/\W+/)].map((p) => p.toLowerCase()).filter(Boolean);
      if (parts.some((p) => similarity(lower, p) >= 0.7)) {
        problems.push(`The password is too similar to the ${label}.`);
        break;
      }
    }
  }
  if (policy.password_reject_common && commonPasswords().has(password.toLowerCase().trim()))
    problems.push('This password is too common.');
  if (policy.password_reject_numeric && /^\d+$/.test(password))
    problems.push('This password is entirely numeric.');
  return problems;
}
