import type { ModelMeta } from '@plinth/plugin-sdk';
import { templateObject } from './computed-fields';
import { isSafeLinkTarget } from './detail-ui';

describe('computed field context', () => {
  it('leaves out write-only fields, passwords and internal columns', () => {
    const model = {
      fields: [
        { name: 'name', kind: 'string', write_only: false },
        { name: 'secret', kind: 'string', write_only: true },
        { name: 'password', kind: 'password', write_only: false },
      ],
    } as unknown as ModelMeta;
    expect(
      templateObject(model, { id: '1', name: 'n', secret: 's', password: 'p', _custom_field_data: {} }),
    ).toEqual({ id: '1', name: 'n' });
  });
});

describe('custom link targets', () => {
  it.each(['https://x.example/a', 'http://x', '/dcim/devices/', '?q=1', '#top'])('allows %s', (u) =>
    expect(isSafeLinkTarget(u)).toBe(true),
  );
  it.each(['javascript:alert(1)', 'JavaScript:x', 'data:text/html,x', '//evil.example/', 'vbscript:x', ' x'])(
    'refuses %s',
    (u) => expect(isSafeLinkTarget(u)).toBe(false),
  );
});
