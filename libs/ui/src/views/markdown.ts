import MarkdownIt from 'markdown-it';

/**
 * User-authored Markdown (notes, markdown custom fields) as HTML that is safe to put on a page:
 * raw HTML in the source is escaped (`html: false`), and markdown-it's link validation refuses
 * `javascript:`, `vbscript:`, `file:` and non-image `data:` URLs. Links open without referrer.
 */
const md = new MarkdownIt({ html: false, linkify: true, typographer: false });

const defaultLinkOpen =
  md.renderer.rules.link_open ??
  ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx].attrSet('rel', 'noopener noreferrer nofollow');
  return defaultLinkOpen(tokens, idx, options, env, self);
};

/** Longest Markdown source rendered (longer text is cut: a page stays bounded). */
const MAX_SOURCE = 100_000;

export function renderMarkdown(source: string): string {
  return `<div class="markdown">${md.render(source.slice(0, MAX_SOURCE))}</div>`;
}
