import { passwordProblems, similarity } from './passwords';
import { DEFAULT_USERS_SETTINGS } from './settings';

describe('password validators', () => {
  const check = (pw: string, owner = { username: 'alice', email: 'alice@example.com' }) =>
    passwordProblems(pw, owner, DEFAULT_USERS_SETTINGS);

  it('computes difflib ratios', () => {
    expect(similarity('abcd', 'abcd')).toBe(1);
    expect(similarity('abcd', 'bcde')).toBeCloseTo(0.75);
    expect(similarity('', 'x')).toBe(0);
  });

  it('accepts a good password', () => {
    expect(check('correct horse battery')).toEqual([]);
  });

  it('refuses short, common, numeric and similar passwords', () => {
    expect(check('Ab1!')).toContain('This password is too short. It must contain at least 8 characters.');
    expect(check('password')).toContain('This password is too common.');
    expect(check('1234567890123')).toContain('This password is entirely numeric.');
    expect(check('alice1234')).toContain('The password is too similar to the username.');
    expect(check('xalice@example.com', { username: 'bob', email: 'alice@example.com' })).toContain(
      'The password is too similar to the email address.',
    );
  });

  it('follows the policy', () => {
    expect(passwordProblems('qzvkx', {}, { ...DEFAULT_USERS_SETTINGS, password_min_length: 4 })).toEqual([]);
  });
});
