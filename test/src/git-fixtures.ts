import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';

function git(cwd: string, ...args: string[]): string {
  return execFileSync(
    'git',
    [
      '-c',
      'user.name=Plinth Tests',
      '-c',
      'user.email=tests@plinth.invalid',
      '-c',
      'init.defaultBranch=main',
      ...args,
    ],
    { cwd, env: { PATH: process.env.PATH, HOME: cwd, GIT_CONFIG_NOSYSTEM: '1' }, encoding: 'utf8' },
  ).trim();
}

/** A bare repository (what Plinth fetches from) and a working copy that commits and pushes to it. */
export class TestRepository {
  readonly bare: string;
  private readonly work: string;

  constructor(root: string, name: string) {
    this.bare = path.join(root, 'mirrors', `${name}.git`);
    this.work = path.join(root, 'work', name);
    fs.mkdirSync(this.bare, { recursive: true });
    fs.mkdirSync(this.work, { recursive: true });
    git(this.bare, 'init', '--quiet', '--bare', '-b', 'main');
    git(this.work, 'init', '--quiet', '-b', 'main');
    git(this.work, 'remote', 'add', 'origin', this.bare);
  }

  /** Write (string; `symlink:<target>` makes a link) or delete (null) files, commit, push; returns the new commit. */
  commit(files: Record<string, string | null>, message = 'change'): string {
    for (const [file, content] of Object.entries(files)) {
      const p = path.join(this.work, file);
      if (content === null) fs.rmSync(p, { force: true });
      else if (content.startsWith('symlink:')) {
        fs.mkdirSync(path.dirname(p), { recursive: true });
        fs.symlinkSync(content.slice('symlink:'.length), p);
      } else {
        fs.mkdirSync(path.dirname(p), { recursive: true });
        fs.writeFileSync(p, content);
      }
    }
    git(this.work, 'add', '--all');
    git(this.work, 'commit', '--quiet', '--allow-empty', '-m', message);
    git(this.work, 'push', '--quiet', 'origin', 'main');
    return git(this.work, 'rev-parse', 'HEAD');
  }
}

/**
 * Git's smart HTTP protocol on loopback: `git http-backend` (CGI) behind a Node server that asks
 * for HTTP basic credentials, and records the requests' Authorization headers.
 */
export class GitHttpServer {
  private server!: http.Server;
  url = '';
  readonly authorizations: string[] = [];

  constructor(
    private readonly projectRoot: string,
    private readonly username: string,
    private readonly password: string,
  ) {}

  async start(host: string): Promise<void> {
    const expected = `Basic ${Buffer.from(`${this.username}:${this.password}`).toString('base64')}`;
    this.server = http.createServer((req, res) => {
      this.authorizations.push(req.headers.authorization ?? '');
      if (req.headers.authorization !== expected) {
        res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"' });
        res.end('unauthorized');
        return;
      }
      const url = new URL(req.url ?? '/', 'http://x');
      const cgi = spawn('git', ['http-backend'], {
        env: {
          PATH: process.env.PATH,
          GIT_PROJECT_ROOT: this.projectRoot,
          GIT_HTTP_EXPORT_ALL: '1',
          REQUEST_METHOD: req.method ?? 'GET',
          PATH_INFO: decodeURIComponent(url.pathname),
          QUERY_STRING: url.search.slice(1),
          CONTENT_TYPE: req.headers['content-type'] ?? '',
          HTTP_CONTENT_ENCODING: req.headers['content-encoding'] ?? '',
          GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
          REMOTE_USER: this.username,
          REMOTE_ADDR: '127.0.0.1',
        },
      });
      req.pipe(cgi.stdin);
      const chunks: Buffer[] = [];
      cgi.stdout.on('data', (c: Buffer) => chunks.push(c));
      cgi.on('close', () => {
        const out = Buffer.concat(chunks);
        const split = out.indexOf('\r\n\r\n');
        const head = out.subarray(0, split).toString('utf8');
        const headers: Record<string, string> = {};
        let status = 200;
        for (const line of head.split('\r\n')) {
          const i = line.indexOf(':');
          const [k, v] = [line.slice(0, i).trim(), line.slice(i + 1).trim()];
          if (k.toLowerCase() === 'status') status = parseInt(v, 10);
          else headers[k] = v;
        }
        res.writeHead(status, headers);
        res.end(out.subarray(split + 4));
      });
    });
    await new Promise<void>((r) => this.server.listen(0, host, r));
    this.url = `http://${host}:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}
