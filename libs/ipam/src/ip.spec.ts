import { addressText, alignUp, cidrBlocks, hostInet, hostText, parseInet, parseNetwork } from './ip';

const blocks = (first: string, last: string, bits = 32) =>
  cidrBlocks(parseInet(first).value, parseInet(last).value, bits).map(
    (b) => `${addressText(bits === 32 ? 4 : 6, b.first)}/${b.length}`,
  );

describe('ip arithmetic', () => {
  it('parses networks and hosts of both families', () => {
    const n = parseNetwork('10.1.2.3/16');
    expect([addressText(4, n.first), addressText(4, n.last), n.length, n.version]).toEqual([
      '10.1.0.0',
      '10.1.255.255',
      16,
      4,
    ]);
    const v6 = parseNetwork('2001:db8::/32');
    expect(addressText(6, v6.last)).toBe('2001:db8:ffff:ffff:ffff:ffff:ffff:ffff');
    expect(v6.last - v6.first + 1n).toBe(2n ** 96n);
    expect(hostText('2001:db8::5/64')).toBe('2001:db8::5');
    expect(hostInet('10.0.0.5/24')).toBe('10.0.0.5/32');
    expect(parseInet('::ffff:10.0.0.1').version).toBe(6);
    expect(() => parseInet('10.1')).toThrow();
  });

  it('covers a range with the largest aligned blocks, like netaddr iter_cidrs', () => {
    expect(blocks('10.0.0.1', '10.0.0.255')).toEqual([
      '10.0.0.1/32',
      '10.0.0.2/31',
      '10.0.0.4/30',
      '10.0.0.8/29',
      '10.0.0.16/28',
      '10.0.0.32/27',
      '10.0.0.64/26',
      '10.0.0.128/25',
    ]);
    expect(blocks('0.0.0.0', '255.255.255.255')).toEqual(['0.0.0.0/0']);
    expect(blocks('10.0.0.5', '10.0.0.5')).toEqual(['10.0.0.5/32']);
    expect(blocks('2001:db8::', '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff', 128)).toEqual(['2001:db8::/32']);
    expect(blocks('::', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 128)).toEqual(['::/0']);
  });

  it('aligns a start to a block boundary', () => {
    const at = (x: string, len: number) => addressText(4, alignUp(parseInet(x).value, len, 32));
    expect(at('10.0.0.1', 24)).toBe('10.0.1.0');
    expect(at('10.0.1.0', 24)).toBe('10.0.1.0');
    expect(at('10.0.0.129', 25)).toBe('10.0.1.0');
  });
});
