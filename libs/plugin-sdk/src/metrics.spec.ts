import { OTHER_SERIES, boundSeries, type MetricSample } from './metrics';

const s = (location: string, value: number): MetricSample => ({ labels: { location }, value });

describe('boundSeries', () => {
  it('keeps every series up to the cap, largest first', () => {
    expect(boundSeries([s('a', 1), s('b', 3)], 2, { labelNames: ['location'] })).toEqual([
      s('b', 3),
      s('a', 1),
    ]);
  });

  it('keeps the max - 1 largest and sums the rest into one "other" series', () => {
    const rows = [s('a', 5), s('b', 1), s('c', 7), s('d', 2), s('e', 2)];
    expect(boundSeries(rows, 3, { labelNames: ['location'] })).toEqual([
      s('c', 7),
      s('a', 5),
      { labels: { location: OTHER_SERIES }, value: 5 },
    ]);
  });

  it('breaks ties by label values, so the kept series do not change between scrapes', () => {
    const rows = [s('z', 2), s('y', 2), s('x', 2)];
    expect(boundSeries(rows, 2, { labelNames: ['location'] })[0]).toEqual(s('x', 2));
  });

  it('sets every label of the summed series to "other" and folds a real "other" series into it', () => {
    const row = (a: string, b: string, value: number): MetricSample => ({ labels: { a, b }, value });
    const rows = [row('other', 'other', 9), row('p', 'q', 4), row('r', 's', 1)];
    expect(boundSeries(rows, 2, { labelNames: ['a', 'b'] })).toEqual([
      row('p', 'q', 4),
      { labels: { a: 'other', b: 'other' }, value: 10 },
    ]);
  });

  it('ranks and merges rows carrying several numbers', () => {
    type Row = MetricSample & { size: number };
    const rows: Row[] = [
      { labels: { p: 'big' }, value: 1, size: 100 },
      { labels: { p: 'mid' }, value: 5, size: 10 },
      { labels: { p: 'small' }, value: 2, size: 4 },
    ];
    const bounded = boundSeries(rows, 2, {
      labelNames: ['p'],
      rank: (r) => r.size,
      merge: (rest, labels) => ({
        labels,
        value: rest.reduce((n, r) => n + r.value, 0),
        size: rest.reduce((n, r) => n + r.size, 0),
      }),
    });
    expect(bounded).toEqual([rows[0], { labels: { p: 'other' }, value: 7, size: 14 }]);
  });

  it('refuses a cap below 2 (one series could not hold a kept one and "other")', () => {
    expect(() => boundSeries([], 1, { labelNames: [] })).toThrow(/max must be an integer >= 2/);
  });
});
