import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveFolder } from './folder-job';

describe('resolveFolder (the folder job may read only inside notifications_folder)', () => {
  let root: string;
  let outside: string;

  beforeAll(() => {
    root = realpathSync(mkdtempSync(join(tmpdir(), 'cm-root-')));
    outside = realpathSync(mkdtempSync(join(tmpdir(), 'cm-outside-')));
    mkdirSync(join(root, 'inbox'));
    writeFileSync(join(root, 'file.eml'), 'x');
    symlinkSync(outside, join(root, 'escape'));
    symlinkSync(join(root, 'inbox'), join(root, 'alias'));
  });
  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  it('resolves the configured folder and folders inside it (symbolic links that stay inside too)', async () => {
    await expect(resolveFolder(root, undefined)).resolves.toBe(root);
    await expect(resolveFolder(root, 'inbox')).resolves.toBe(join(root, 'inbox'));
    await expect(resolveFolder(root, './inbox/')).resolves.toBe(join(root, 'inbox'));
    await expect(resolveFolder(root, 'alias')).resolves.toBe(join(root, 'inbox'));
  });

  it('refuses paths out of it, absolute paths, files, missing folders and a missing setting', async () => {
    await expect(resolveFolder(root, '..')).rejects.toThrow('outside the notifications folder');
    await expect(resolveFolder(root, 'inbox/../..')).rejects.toThrow('outside the notifications folder');
    await expect(resolveFolder(root, 'escape')).rejects.toThrow('outside the notifications folder');
    await expect(resolveFolder(root, '/etc')).rejects.toThrow('must be relative');
    await expect(resolveFolder(root, 'file.eml')).rejects.toThrow('Not a folder: file.eml.');
    await expect(resolveFolder(root, 'nope')).rejects.toThrow('No such folder: nope.');
    await expect(resolveFolder(undefined, 'inbox')).rejects.toThrow('No notifications_folder is configured');
  });
});
