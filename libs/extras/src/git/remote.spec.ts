import { redact } from './git-cli';
import { RemotePolicy, checkRemoteUrl } from './remote';

describe('Git remotes', () => {
  it('accepts http(s) and file:// URLs without credentials', () => {
    expect(checkRemoteUrl('https://github.com/acme/config.git')).toBeUndefined();
    expect(checkRemoteUrl('http://git.example.com/r')).toBeUndefined();
    expect(checkRemoteUrl('file:///srv/mirrors/r.git')).toBeUndefined();
  });

  it('refuses other transports, credentials in the URL and file:// hosts', () => {
    expect(checkRemoteUrl('ssh://git@example.com/r.git')).toBe(
      'Only http://, https:// and file:// URLs are allowed.',
    );
    expect(checkRemoteUrl('ext::sh -c id')).toBeDefined();
    expect(checkRemoteUrl('https://u:p@example.com/r.git')).toBe(
      'Credentials in the URL are not allowed; use a secrets group.',
    );
    expect(checkRemoteUrl('file://server/srv/r.git')).toBeDefined();
  });

  it('keeps file:// remotes inside the allowed roots, and refuses private addresses', async () => {
    const policy = new RemotePolicy({ allowedHosts: [], fileRoots: ['/srv/mirrors'] });
    await expect(policy.check('file:///srv/mirrors/a.git')).resolves.toEqual({
      url: 'file:///srv/mirrors/a.git',
      resolve: null,
    });
    await expect(policy.check('file:///srv/mirrors/../secret.git')).rejects.toThrow(
      'Refused: /srv/secret.git is not under a directory of PLINTH_GIT_FILE_ROOTS',
    );
    await expect(policy.check('file:///srv/mirrors-other/a.git')).rejects.toThrow('PLINTH_GIT_FILE_ROOTS');
    await expect(policy.check('http://169.254.169.254/r.git')).rejects.toThrow(
      'add it to PLINTH_GIT_ALLOWED_HOSTS to allow it',
    );
    await expect(policy.check('http://[::1]:8080/r.git')).rejects.toThrow('PLINTH_GIT_ALLOWED_HOSTS');
  });

  it('redacts every credential from messages', () => {
    expect(redact('fatal: user alice pw s3cret at s3cret', ['alice', 's3cret', 'x'])).toBe(
      'fatal: user ******** pw ******** at ********',
    );
  });
});
