import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { CheckedRemote } from './remote';

/** HTTP basic credentials for a remote (from the repository's secrets group). */
export interface GitCredentials {
  username: string;
  password: string;
}

/** A git failure; its message has every credential value removed. */
export class GitError extends Error {}

const TIMEOUT_MS = 10 * 60 * 1000;

/**
 * Runs the system git (execFile: no shell, arguments never interpreted). Credentials travel in
 * the environment of the one git process that fetches (GIT_CONFIG_* as an `http.extraHeader`):
 * never in argv (visible to every user of the machine), the URL, `.git/config` or the log.
 * Only http, https and file transports are enabled, prompts are off, and neither the system's
 * nor the user's git configuration (credential helpers, proxies, url rewrites) applies.
 */
export class GitCli {
  constructor(private readonly binary = 'git') {}

  private run(
    args: string[],
    cwd: string,
    extraConfig: [string, string][],
    secrets: string[],
  ): Promise<string> {
    const config: Record<string, string> = { GIT_CONFIG_COUNT: String(extraConfig.length) };
    extraConfig.forEach(([k, v], i) => {
      config[`GIT_CONFIG_KEY_${i}`] = k;
      config[`GIT_CONFIG_VALUE_${i}`] = v;
    });
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      LANG: 'C',
      GIT_TERMINAL_PROMPT: '0',
      GIT_ASKPASS: 'true',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_ALLOW_PROTOCOL: 'http:https:file',
      ...config,
    };
    return new Promise((resolve, reject) => {
      execFile(
        this.binary,
        args,
        { cwd, env, timeout: TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
        (err, stdout, stderr) => {
          if (!err) return resolve(stdout.trim());
          const detail = String(stderr || err.message).trim();
          reject(new GitError(redact(`git ${args[0]} failed: ${detail}`, secrets)));
        },
      );
    });
  }

  /**
   * Fetch `branch` of the remote into `dir` (created or reused) and check it out: the working
   * tree is exactly the branch's tree afterwards. Returns the commit.
   */
  async sync(
    dir: string,
    remote: CheckedRemote,
    branch: string,
    credentials: GitCredentials | null,
  ): Promise<string> {
    await fs.mkdir(dir, { recursive: true });
    const config: [string, string][] = [
      ['http.followRedirects', 'false'],
      ['protocol.allow', 'never'],
      ['protocol.http.allow', 'always'],
      ['protocol.https.allow', 'always'],
      ['protocol.file.allow', 'always'],
    ];
    if (remote.resolve) config.push(['http.curloptResolve', remote.resolve]);
    const secrets: string[] = [];
    if (credentials) {
      const basic = Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64');
      config.push(['http.extraHeader', `Authorization: Basic ${basic}`]);
      secrets.push(credentials.username, credentials.password, basic);
    }
    try {
      await fs.access(path.join(dir, '.git'));
    } catch {
      await this.run(['init', '--quiet', '.'], dir, [], []);
    }
    // The URL is given on each fetch, never stored as a remote in .git/config.
    await this.run(
      [
        'fetch',
        '--quiet',
        '--no-tags',
        '--depth=1',
        '--',
        remote.url,
        `+refs/heads/${branch}:refs/remotes/origin/${branch}`,
      ],
      dir,
      config,
      secrets,
    );
    // Symbolic links are checked out as plain files holding the link's text: a repository must
    // not make a content handler read files outside its checkout.
    await this.run(
      ['checkout', '--quiet', '--force', '-B', branch, `refs/remotes/origin/${branch}`],
      dir,
      [['core.symlinks', 'false']],
      [],
    );
    await this.run(['clean', '--quiet', '-ffdx'], dir, [], []);
    return this.head(dir);
  }

  /** The commit a checkout is at. */
  head(dir: string): Promise<string> {
    return this.run(['rev-parse', 'HEAD'], dir, [], []);
  }
}

/** The text with every non-trivial secret value replaced. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 3) out = out.split(s).join('********');
  return out;
}
