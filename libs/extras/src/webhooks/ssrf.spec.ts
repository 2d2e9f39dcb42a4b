import { AddressPolicy, checkPayloadUrl } from './ssrf';

describe('webhook address policy', () => {
  const none = new AddressPolicy([]);

  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['169.254.169.254', 'linkLocal'],
    ['fe80::1', 'linkLocal'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['fd00:ec2::254', 'uniqueLocal'],
    ['100.100.100.200', 'carrierGradeNat'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['2002:7f00:1::', '6to4'],
    ['64:ff9b::7f00:1', 'rfc6052'],
  ])('refuses %s (%s)', (address, range) => {
    expect(none.refusal(address)).toContain(`a ${range} address`);
  });

  it.each(['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946', '::ffff:93.184.216.34'])(
    'allows the public address %s',
    (address) => expect(none.refusal(address)).toBeNull(),
  );

  it('allows what the operator lists: addresses, networks and host names', () => {
    const policy = new AddressPolicy(['127.0.0.2', '10.0.0.0/8', 'Hooks.Internal.']);
    expect(policy.refusal('127.0.0.2')).toBeNull();
    expect(policy.refusal('127.0.0.1')).not.toBeNull();
    expect(policy.refusal('10.200.1.1')).toBeNull();
    expect(policy.refusal('192.168.0.1')).not.toBeNull();
    expect(policy.hostAllowed('hooks.internal')).toBe(true);
    expect(policy.hostAllowed('other.internal')).toBe(false);
  });

  it('checks IP literals in URLs, which are connected to without a DNS lookup', () => {
    expect(() => none.checkUrl(new URL('http://[::1]:8080/'))).toThrow(/Refused: ::1 is a loopback address/);
    expect(() => none.checkUrl(new URL('http://0x7f000001/'))).toThrow(/Refused: 127\.0\.0\.1/);
    expect(() => none.checkUrl(new URL('http://example.com/'))).not.toThrow();
  });

  it('refuses names resolving to a refused address in the connection lookup', async () => {
    const lookup = none.lookup();
    const err = await new Promise<Error | null>((resolve) => lookup('localhost', {}, (e) => resolve(e)));
    expect(err?.message).toMatch(/^Refused: localhost resolves to .* loopback address/);
  });

  it('accepts only absolute http(s) URLs without credentials', () => {
    expect(checkPayloadUrl('https://example.com/hook')).toBeUndefined();
    expect(checkPayloadUrl('gopher://example.com/')).toMatch(/http/);
    expect(checkPayloadUrl('/relative')).toBe('Enter a valid URL.');
    expect(checkPayloadUrl('http://a:b@example.com/')).toMatch(/Credentials/);
  });
});
