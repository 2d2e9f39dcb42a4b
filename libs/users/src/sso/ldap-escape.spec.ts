import { escapeDnValue, escapeFilterValue, fillTemplate, normalizeDn } from './ldap-escape';

describe('LDAP escaping', () => {
  it('escapes filter syntax in values (RFC 4515)', () => {
    expect(fillTemplate('(uid={username})', { username: '*)(uid=*' }, escapeFilterValue)).toBe(
      '(uid=\\2a\\29\\28uid=\\2a)',
    );
    expect(escapeFilterValue('a\\b\0')).toBe('a\\5cb\\00');
  });

  it('escapes DN syntax in values (RFC 4514)', () => {
    expect(escapeDnValue('x,ou=admins')).toBe('x\\,ou\\=admins');
    expect(escapeDnValue(' #lead')).toBe('\\ #lead');
    expect(escapeDnValue('trail ')).toBe('trail\\ ');
    expect(fillTemplate('uid={username},dc=x', { username: 'a+b' }, escapeDnValue)).toBe('uid=a\\+b,dc=x');
  });

  it('leaves unknown placeholders alone', () => {
    expect(fillTemplate('(cn={other})', { username: 'u' }, escapeFilterValue)).toBe('(cn={other})');
  });

  it('compares DNs without case and spacing', () => {
    expect(normalizeDn('CN=Net Admins, ou=Groups,DC=Example')).toBe('cn=net admins,ou=groups,dc=example');
  });
});
