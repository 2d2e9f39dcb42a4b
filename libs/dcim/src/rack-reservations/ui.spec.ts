import { unitList } from './ui';

describe('unitList', () => {
  it('writes runs of units as ranges, in order, once each', () => {
    expect(unitList([3, 1, 2, 7, 9, 10, 2])).toBe('1-3, 7, 9-10');
    expect(unitList([42])).toBe('42');
    expect(unitList([])).toBe('');
  });
});
