import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfigContextFolder } from './datasource';

describe('loadConfigContextFolder', () => {
  let root: string;
  const write = (file: string, content: string): void => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), content);
  };

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'plinth-cc-'));
  });
  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("reads Nautobot's layout: schemas and contexts with _metadata, JSON and YAML", async () => {
    write(
      'config_context_schemas/ntp.json',
      JSON.stringify({
        _metadata: { name: 'ntp', description: 'NTP servers' },
        data_schema: { type: 'object', properties: { ntp: { type: 'array' } } },
      }),
    );
    write(
      'config_contexts/europe.yaml',
      [
        '_metadata:',
        '  name: europe',
        '  weight: 200',
        '  is_active: true',
        '  schema: ntp',
        '  locations:',
        '    - name: Europe',
        '  device_types:',
        '    - S1',
        '  tags: []',
        'ntp:',
        '  - 10.0.0.2',
        'dns:',
        '  primary: 1.1.1.1',
      ].join('\n'),
    );
    write('config_contexts/global.json', JSON.stringify({ _metadata: { name: 'global' }, syslog: 'x' }));
    write('config_contexts/README.md', '# not a context');
    const loaded = await loadConfigContextFolder(root);
    expect(loaded.problems).toEqual([]);
    expect(loaded.schemas).toEqual([
      {
        file: 'config_context_schemas/ntp.json',
        name: 'ntp',
        description: 'NTP servers',
        data_schema: { type: 'object', properties: { ntp: { type: 'array' } } },
      },
    ]);
    expect(loaded.contexts).toEqual([
      {
        file: 'config_contexts/europe.yaml',
        name: 'europe',
        weight: 200,
        description: '',
        is_active: true,
        schema: 'ntp',
        scopes: { locations: [{ name: 'Europe' }], device_types: ['S1'], tags: [] },
        data: { ntp: ['10.0.0.2'], dns: { primary: '1.1.1.1' } },
      },
      {
        file: 'config_contexts/global.json',
        name: 'global',
        weight: 1000,
        description: '',
        is_active: true,
        schema: null,
        scopes: {},
        data: { syslog: 'x' },
      },
    ]);
  });

  it('lists unusable files as problems and keeps the others', async () => {
    write('config_contexts/a.json', '{ not json');
    write('config_contexts/b.yaml', 'ntp: [1]');
    write('config_contexts/c.json', JSON.stringify({ _metadata: { name: 'c', weight: 'heavy' } }));
    write('config_contexts/d.json', JSON.stringify({ _metadata: { name: 'd', roles: 'leaf' } }));
    write('config_contexts/e.json', JSON.stringify({ _metadata: { name: 'ok' } }));
    write('config_contexts/f.json', JSON.stringify({ _metadata: { name: 'ok' } }));
    write('config_contexts/g.json', '[1, 2]');
    write('config_context_schemas/s.json', JSON.stringify({ _metadata: { name: 's' }, data_schema: 'x' }));
    const loaded = await loadConfigContextFolder(root);
    expect(loaded.contexts.map((c) => c.file)).toEqual(['config_contexts/e.json']);
    expect(loaded.schemas).toEqual([]);
    const problems = Object.fromEntries(loaded.problems.map((p) => [p.file, p.error]));
    expect(Object.keys(problems).sort()).toEqual([
      'config_context_schemas/s.json',
      'config_contexts/a.json',
      'config_contexts/b.yaml',
      'config_contexts/c.json',
      'config_contexts/d.json',
      'config_contexts/f.json',
      'config_contexts/g.json',
    ]);
    expect(problems['config_contexts/b.yaml']).toBe('missing _metadata');
    expect(problems['config_contexts/c.json']).toBe('_metadata.weight must be an integer');
    expect(problems['config_contexts/d.json']).toBe('_metadata.roles must be a list');
    expect(problems['config_contexts/f.json']).toBe('name "ok" is already used by config_contexts/e.json');
    expect(problems['config_context_schemas/s.json']).toBe('data_schema must be an object');
  });

  it('reads an empty or missing folder as nothing', async () => {
    expect(await loadConfigContextFolder(path.join(root, 'missing'))).toEqual({
      schemas: [],
      contexts: [],
      problems: [],
    });
  });
});
