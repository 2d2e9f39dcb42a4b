import { compareSection, sectionLines } from './sections';

const BACKUP = `hostname r1
!
ntp server 10.0.0.2
ntp server 10.0.0.1
router bgp 65000
 neighbor 10.1.1.1 remote-as 65001
 address-family ipv4
  network 10.0.0.0/8
interface Ethernet1
 description uplink
`;

describe('sectionLines', () => {
  it('takes the lines starting with a match line, with their indented children', () => {
    expect(sectionLines(BACKUP, 'router bgp')).toEqual([
      'router bgp 65000',
      ' neighbor 10.1.1.1 remote-as 65001',
      ' address-family ipv4',
      '  network 10.0.0.0/8',
    ]);
    expect(sectionLines(BACKUP, 'ntp\nhostname')).toEqual([
      'hostname r1',
      'ntp server 10.0.0.2',
      'ntp server 10.0.0.1',
    ]);
    expect(sectionLines(BACKUP, 'snmp-server')).toEqual([]);
  });
});

describe('compareSection', () => {
  const intended = 'ntp server 10.0.0.1\nntp server 10.0.0.2\n';
  it('unordered: the same lines in another order comply', () => {
    expect(compareSection(BACKUP, intended, 'ntp', false)).toMatchObject({
      compliance: true,
      missing: '',
      extra: '',
    });
  });
  it('ordered: another order does not comply', () => {
    expect(compareSection(BACKUP, intended, 'ntp', true)).toMatchObject({
      compliance: false,
      missing: '',
      extra: '',
      ordered: true,
    });
  });
  it('lists missing and extra lines', () => {
    const r = compareSection(BACKUP, 'ntp server 10.0.0.1\nntp server 10.0.0.3\n', 'ntp', false);
    expect(r).toMatchObject({
      compliance: false,
      actual: 'ntp server 10.0.0.2\nntp server 10.0.0.1',
      intended: 'ntp server 10.0.0.1\nntp server 10.0.0.3',
      missing: 'ntp server 10.0.0.3',
      extra: 'ntp server 10.0.0.2',
    });
  });
});
