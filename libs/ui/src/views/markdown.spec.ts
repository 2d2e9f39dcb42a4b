import { renderMarkdown } from './markdown';

describe('renderMarkdown', () => {
  it('renders Markdown with raw HTML escaped and unsafe links dropped', () => {
    const html = renderMarkdown(
      '**bold** <script>alert(1)</script> [x](javascript:alert(1)) [y](https://e.org)',
    );
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('href="javascript:');
    expect(html).toContain('<a href="https://e.org" rel="noopener noreferrer nofollow">y</a>');
  });
});
