import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { JobContext, ReadService } from '@plinth/plugin-sdk';
import type { GitJobSource } from './definitions';
import { GitJobSandbox } from './sandbox';

const reads = {} as ReadService;

describe('GitJobSandbox', () => {
  let checkout: string;

  beforeAll(() => {
    checkout = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'plinth-sandbox-')));
    fs.mkdirSync(path.join(checkout, 'jobs'));
    fs.writeFileSync(
      path.join(checkout, 'jobs', 'a.js'),
      "module.exports = [{ name: 'one', variables: { n: { type: 'integer' } }, run() {} }, { name: 'two', run() {} }];",
    );
    fs.writeFileSync(
      path.join(checkout, 'jobs', 'b.mjs'),
      "export default { name: 'three', run() {} };\nexport const notAJob = { name: 'x' };",
    );
    fs.writeFileSync(
      path.join(checkout, 'jobs', 'c.js'),
      "require('node:fs').readFileSync('/etc/hostname');",
    );
    fs.writeFileSync(path.join(checkout, 'jobs', 'notes.txt'), 'not a module');
  });
  afterAll(() => fs.rmSync(checkout, { recursive: true, force: true }));

  it("discovers each module's jobs in a child process, and why a module failed", async () => {
    const sandbox = new GitJobSandbox({ git: { root: os.tmpdir(), jobs: true } }, reads);
    const modules = await sandbox.discover(checkout);
    expect(modules.map((m) => m.file)).toEqual(['jobs/a.js', 'jobs/b.mjs', 'jobs/c.js']);
    expect(modules[0].jobs).toEqual([
      { name: 'one', variables: { n: { type: 'integer' } } },
      { name: 'two' },
    ]);
    expect(modules[1].jobs).toEqual([{ name: 'three' }]);
    // Module code runs under the permission model at discovery too.
    expect(modules[2].error).toContain('Access to this API has been restricted');
  });

  it('refuses to run when jobs from Git repositories are turned off', async () => {
    const sandbox = new GitJobSandbox({ git: { root: os.tmpdir(), jobs: false } }, reads);
    const source = { repository: 'r', repository_name: 'R', file: 'jobs/a.js', job: 'one' } as GitJobSource;
    await expect(sandbox.run(source, {} as JobContext, {})).rejects.toThrow(
      'Jobs from Git repositories are turned off on this server or worker (PLINTH_GIT_JOBS).',
    );
  });
});
