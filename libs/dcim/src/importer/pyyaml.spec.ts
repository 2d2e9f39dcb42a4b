import { parse } from 'yaml';
import { pyyamlTags } from './pyyaml';

const load = (text: string): unknown => parse(text, { version: '1.1', customTags: pyyamlTags });

describe('PyYAML plain scalars', () => {
  it('reads numbers, booleans and text as PyYAML safe_load does', () => {
    expect(
      load(
        'a: 08\nb: 010\nc: 0\nd: 12\ne: e1\nf: 1e5\ng: 1.5e+3\nh: .5\ni: Y\nj: yes\nk: off\nl: 2.98\nm: 1_000\nn: .\no: 0x1F\n',
      ),
    ).toEqual({
      a: '08',
      b: 8,
      c: 0,
      d: 12,
      e: 'e1',
      f: '1e5',
      g: 1500,
      h: 0.5,
      i: 'Y',
      j: true,
      k: false,
      l: 2.98,
      m: 1000,
      n: '.',
      o: 31,
    });
  });
});
