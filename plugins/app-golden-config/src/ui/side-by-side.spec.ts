import { diffTable, sideBySide } from './side-by-side';

describe('sideBySide', () => {
  it('pairs changed lines and keeps the rest aligned', () => {
    const rows = sideBySide('a\nb\nc\n', 'a\nB\nc\nd\n');
    expect(rows.map((r) => [r.kind, r.left?.text ?? null, r.right?.text ?? null])).toEqual([
      ['same', 'a', 'a'],
      ['changed', 'b', 'B'],
      ['same', 'c', 'c'],
      ['right', null, 'd'],
    ]);
  });

  it('escapes every line', () => {
    const table = diffTable('<script>x</script>', 'ok', ['Intended', 'Backup']).html;
    expect(table).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(table).not.toContain('<script>');
  });
});
