import * as path from 'node:path';
import { Controller, Get, NotFoundException, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { PlinthRequest } from '@plinth/core';

interface Asset {
  /** Package and file inside it, or inline content. */
  from: { pkg: string; file: string } | { content: string };
  type: string;
}

/** Boots GraphiQL against the local endpoint, sending the session's CSRF token. */
const BOOT_SCRIPT = `(function () {
  var meta = function (name) { return document.querySelector('meta[name="' + name + '"]').content; };
  var endpoint = meta('plinth-graphql-endpoint');
  var csrf = meta('plinth-csrf-token');
  function fetcher(params) {
    return fetch(endpoint, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRFToken': csrf },
      body: JSON.stringify(params),
    }).then(function (res) { return res.json(); });
  }
  var props = {
    fetcher: fetcher,
    defaultQuery: '# Lists take the REST filters as arguments.\\n{\\n  users(limit: 10) {\\n    username\\n    groups { name }\\n  }\\n}\\n',
  };
  // ?query=…&variables=… (a saved query's "Open in GraphiQL") opens with that query.
  var params = new URLSearchParams(window.location.search);
  if (params.get('query')) props.query = params.get('query');
  if (params.get('variables')) props.variables = params.get('variables');
  ReactDOM.createRoot(document.getElementById('graphiql')).render(React.createElement(GraphiQL, props));
})();
`;

const PAGE_CSS = 'html, body, #graphiql { height: 100%; margin: 0; }\n';

/** Files the page loads, all from installed packages: Plinth works air-gapped (no CDN). */
const ASSETS: Record<string, Asset> = {
  'react.production.min.js': {
    from: { pkg: 'react', file: 'umd/react.production.min.js' },
    type: 'application/javascript',
  },
  'react-dom.production.min.js': {
    from: { pkg: 'react-dom', file: 'umd/react-dom.production.min.js' },
    type: 'application/javascript',
  },
  'graphiql.min.js': { from: { pkg: 'graphiql', file: 'graphiql.min.js' }, type: 'application/javascript' },
  'graphiql.min.css': { from: { pkg: 'graphiql', file: 'graphiql.min.css' }, type: 'text/css' },
  'plinth-graphiql.js': { from: { content: BOOT_SCRIPT }, type: 'application/javascript' },
  'plinth-graphiql.css': { from: { content: PAGE_CSS }, type: 'text/css' },
};

/** Everything from this origin; GraphiQL's components set inline styles and embed fonts as data URLs. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'self'",
].join('; ');

function escapeAttr(v: string): string {
  return v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

export function graphiqlPage(csrfToken: string): string {
  const script = (name: string) => `<script src="static/${name}"></script>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>GraphiQL · Plinth</title>
<meta name="plinth-graphql-endpoint" content="../api/graphql/">
<meta name="plinth-csrf-token" content="${escapeAttr(csrfToken)}">
<link rel="stylesheet" href="static/graphiql.min.css">
<link rel="stylesheet" href="static/plinth-graphiql.css">
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
${script('react.production.min.js')}
${script('react-dom.production.min.js')}
${script('graphiql.min.js')}
${script('plinth-graphiql.js')}
</body>
</html>
`;
}

/**
 * GraphiQL at `/graphql/`, for logged-in users (anonymous browsers go to the login page). The
 * page and its assets are served from this server; links are relative so a path prefix added
 * by a reverse proxy keeps working.
 */
@ApiExcludeController()
@Controller('graphql')
export class GraphiQLController {
  @Get()
  page(@Req() req: Request, @Res() res: Response): void {
    const preq = req as PlinthRequest;
    if (!preq.plinth?.user) {
      // Back to the same page (a saved query's ?query=…) after logging in.
      res.redirect(302, `/login/?next=${encodeURIComponent(req.originalUrl)}`);
      return;
    }
    if (!req.path.endsWith('/')) {
      res.redirect(301, `${req.path}/`);
      return;
    }
    res
      .status(200)
      .set({
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Security-Policy': CONTENT_SECURITY_POLICY,
        'Cache-Control': 'no-store',
      })
      .send(graphiqlPage(preq.auth?.session?.csrf_token ?? ''));
  }

  @Get('static/:name')
  asset(@Param('name') name: string, @Res() res: Response): void {
    const asset = Object.prototype.hasOwnProperty.call(ASSETS, name) ? ASSETS[name] : undefined;
    if (!asset) throw new NotFoundException();
    res.set({ 'Content-Type': asset.type, 'Cache-Control': 'public, max-age=86400' });
    if ('content' in asset.from) {
      res.send(asset.from.content);
      return;
    }
    const dir = path.dirname(require.resolve(`${asset.from.pkg}/package.json`));
    res.sendFile(path.join(dir, asset.from.file));
  }
}
