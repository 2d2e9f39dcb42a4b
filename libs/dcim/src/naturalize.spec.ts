import { naturalize } from './naturalize';

describe('naturalize', () => {
  it('orders names with numbers as people read them', () => {
    const names = ['Ethernet1/10', 'Ethernet1/2', 'Ethernet2/1', 'Ethernet1/1', 'mgmt0', 'edge10', 'edge2'];
    expect([...names].sort((a, b) => naturalize(a).localeCompare(naturalize(b)))).toEqual([
      'edge2',
      'edge10',
      'Ethernet1/1',
      'Ethernet1/2',
      'Ethernet1/10',
      'Ethernet2/1',
      'mgmt0',
    ]);
  });

  it('treats leading zeros as the same number', () => {
    expect(naturalize('ge-0/0/01')).toBe(naturalize('ge-0/0/1'));
  });
});
