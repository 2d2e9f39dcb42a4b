import { urlOf } from './choices';

describe('urlOf', () => {
  const web = urlOf(['http', 'https']);
  const download = urlOf(['http', 'https', 'ftp', 'ftps']);

  it('accepts empty values and absolute URLs of the schemes', () => {
    expect(web('')).toBeUndefined();
    expect(web(null)).toBeUndefined();
    expect(web('https://example.com/docs?v=1#x')).toBeUndefined();
    expect(download('ftp://files.example.com/image.bin')).toBeUndefined();
  });

  it('refuses other schemes, relative and host-less URLs', () => {
    expect(web('ftp://files.example.com/x')).toBe('Enter a valid URL (http, https).');
    expect(web('javascript:alert(1)')).toBe('Enter a valid URL (http, https).');
    expect(download('file:///etc/passwd')).toBe('Enter a valid URL (http, https, ftp, ftps).');
    expect(web('/docs')).toBe('Enter a valid URL.');
    expect(web('not a url')).toBe('Enter a valid URL.');
  });
});
