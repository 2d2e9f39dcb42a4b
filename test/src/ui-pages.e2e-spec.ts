import * as path from 'node:path';
import { createTestApp, onDatabase, type TestApp } from '@plinth/testing';
import { text, UiSession } from './ui-helpers';

const BROKEN_PLUGIN = path.resolve(__dirname, '..', 'fixtures', 'broken-ui-plugin');

describe(onDatabase('web UI pages'), () => {
  let t: TestApp;
  let ui: UiSession;

  beforeAll(async () => {
    t = await createTestApp({
      plugins: ['@plinth/plugin-example', BROKEN_PLUGIN],
      pluginsConfig: { example: { instance_name: 'lab' } },
    });
    ui = await new UiSession(t.baseUrl).login();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('sends anonymous visitors to the login page and serves assets without login', async () => {
    const anon = new UiSession(t.baseUrl);
    const res = await anon.get('/extras/tags/?q=a');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/login/?next=%2Fextras%2Ftags%2F%3Fq%3Da');
    const css = await anon.get('/static/bootstrap.min.css');
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toMatch(/text\/css/);
    expect((await anon.get('/static/../package.json')).status).not.toBe(200);
    const api = await anon.get('/api/extras/tags/');
    expect(api.status).toBe(403);
    expect(api.body).toEqual({ detail: 'Authentication credentials were not provided.' });
  });

  it('logs in with a session cookie (HttpOnly, SameSite=Lax) and checks the CSRF token', async () => {
    const s = new UiSession(t.baseUrl);
    const form = await s.get('/login/');
    const token = UiSession.csrfIn(form.text);
    const noToken = await s.agent
      .post('/login/')
      .type('form')
      .send({ username: 'admin', password: 'admin-password-1' });
    expect(noToken.status).toBe(403);
    expect(text(noToken.text)).toContain('CSRF token missing or incorrect.');
    const wrong = await s.agent
      .post('/login/')
      .type('form')
      .send({ username: 'admin', password: 'nope', csrfmiddlewaretoken: token });
    expect(wrong.status).toBe(400);
    expect(text(wrong.text)).toContain('Please enter a correct username and password.');
    const ok = await s.agent.post('/login/').type('form').send({
      username: 'admin',
      password: 'admin-password-1',
      csrfmiddlewaretoken: token,
      next: '/extras/tags/',
    });
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toBe('/extras/tags/');
    expect(String(ok.headers['set-cookie'])).toMatch(/plinth_session=[^;]+;.*HttpOnly; SameSite=Lax/);
    // An absolute `next` is not followed (no open redirect).
    const evil = await new UiSession(t.baseUrl).login();
    const res = await evil.get('/login/?next=https://evil.example/');
    expect(res.headers.location).toBe('/');

    // Logged in, every POST needs the session's token.
    const before = await t.objects.count('extras.tag');
    const forged = await s.agent.post('/extras/tags/add/').type('form').send({ name: 'forged' });
    expect(forged.status).toBe(403);
    expect(await t.objects.count('extras.tag')).toBe(before);

    const out = await s.post('/logout/', { csrfmiddlewaretoken: UiSession.csrfIn((await s.get('/')).text) });
    expect(out.status).toBe(303);
    expect((await s.get('/')).status).toBe(302);
  });

  it('runs the same number of SQL queries for a list page of 3 or 43 rows', async () => {
    const tag = (await t.objects.create('extras.tag', [{ name: 'perf' }]))[0];
    const make = (from: number, n: number) =>
      Array.from({ length: n }, (_, i) => ({
        name: `perf-${String(from + i).padStart(3, '0')}`,
        status: 'Active',
        owner: 'admin',
        tags: [tag.id],
      }));
    await t.objects.create('example.widget', make(0, 3));
    const small = await ui.get('/plugins/example/widgets/?name__isw=perf-&per_page=100');
    expect(small.status).toBe(200);
    expect(text(small.text)).toContain('Showing 1–3 of 3');
    await t.objects.create('example.widget', make(3, 40));
    const large = await ui.get('/plugins/example/widgets/?name__isw=perf-&per_page=100');
    expect(text(large.text)).toContain('Showing 1–43 of 43');
    const queries = Number(large.headers['x-sql-queries']);
    expect(queries).toBeGreaterThan(0);
    expect(queries).toBe(Number(small.headers['x-sql-queries']));
    // Related objects are shown by name, with links.
    expect(large.text).toContain('>Active</a>');
    expect(large.text).toContain('>admin</a>');
  });

  it('creates and edits through the write path: change log (web, user), errors next to fields, nothing saved', async () => {
    const created = await ui.post('/extras/tags/add/', {
      name: 'ui-core',
      color: '#ff0000',
      description: 'made in the UI',
      content_types: ['example.widget'],
    });
    expect(created.status).toBe(303);
    const [tag] = await t.objects.find('extras.tag', { name: 'ui-core' });
    expect(tag).toMatchObject({ color: 'ff0000', content_types: ['example.widget'] });
    expect(created.headers.location).toBe(`/extras/tags/${String(tag.id)}/`);
    const detail = await ui.get(created.headers.location);
    expect(text(detail.text)).toContain('Created tag ui-core');
    const changes = await t.api.get(`/api/extras/object-changes/?changed_object_id=${String(tag.id)}`);
    expect(changes.body.results[0]).toMatchObject({ user_name: 'admin', change_context: { value: 'web' } });

    const before = await t.objects.count('extras.tag');
    const badColor = await ui.post('/extras/tags/add/', { name: 'ui-other', color: 'zzz' });
    expect(badColor.status).toBe(400);
    // The error sits in the field's own block, and the submitted values are kept.
    expect(badColor.text).toMatch(
      /data-field="color"[\s\S]*?Enter a valid hexadecimal RGB color code\.[\s\S]*?data-field="description"/,
    );
    expect(badColor.text).toContain('value="zzz"');
    expect(badColor.text).toContain('value="ui-other"');
    const dup = await ui.post('/extras/tags/add/', { name: 'ui-core', color: 'abcdef' });
    expect(dup.status).toBe(400);
    expect(dup.text).toMatch(
      /data-field="name"[\s\S]*?Tag with this name already exists\.[\s\S]*?data-field="color"/,
    );
    expect(await t.objects.count('extras.tag')).toBe(before);

    // The plugin's custom validator runs here too (the UI is just another write path).
    const user = await t.createUser('uiwriter', [
      { actions: ['view', 'add', 'change'], object_types: ['extras.tag'] },
    ]);
    const writer = await new UiSession(t.baseUrl).login('uiwriter', 'user-password-1');
    const reserved = await writer.post('/extras/tags/add/', { name: 'reserved-x', color: 'aaaaaa' });
    expect(reserved.status).toBe(400);
    expect(text(reserved.text)).toContain(
      'Only superusers may create tags starting with "reserved-" (you are uiwriter).',
    );
    expect(user.user.username).toBe('uiwriter');

    const edited = await ui.post(`/extras/tags/${String(tag.id)}/edit/`, {
      name: 'ui-core',
      color: '00ff00',
      description: 'edited',
    });
    expect(edited.status).toBe(303);
    expect(await t.objects.get('extras.tag', String(tag.id))).toMatchObject({
      color: '00ff00',
      description: 'edited',
      content_types: [],
    });
    const form = await ui.get(`/extras/tags/${String(tag.id)}/edit/`);
    expect(form.text).toContain('value="edited"');
  });

  it('hides what users may not do and answers 403 pages', async () => {
    await t.createUser('viewer', [{ actions: ['view'], object_types: ['extras.tag'] }]);
    const viewer = await new UiSession(t.baseUrl).login('viewer', 'user-password-1');
    const list = await viewer.get('/extras/tags/');
    expect(list.status).toBe(200);
    expect(list.text).not.toContain('/extras/tags/add/');
    expect(list.text).not.toContain('Delete selected');
    const add = await viewer.get('/extras/tags/add/');
    expect(add.status).toBe(403);
    expect(add.headers['content-type']).toMatch(/text\/html/);
    expect(text(add.text)).toContain('You do not have permission to add tags.');
    const widgets = await viewer.get('/plugins/example/widgets/');
    expect(widgets.status).toBe(403);
    // The menu shows only what the user may view.
    expect(list.text).toContain('data-nav-tab="Extensibility"');
    expect(list.text).not.toContain('href="/users/users/"');
    expect(list.text).not.toContain('data-nav-tab="Example Plugin"');
  });

  it('lists what blocks a deletion (the 409 dependents) and keeps the object', async () => {
    const [status] = await t.objects.create('extras.status', [
      { name: 'UI Blocked', color: '111111', content_types: ['example.widget'] },
    ]);
    await t.objects.create('example.widget', [{ name: 'blocker', status: status.id }]);
    const confirm = await ui.get(`/extras/statuses/${String(status.id)}/delete/`);
    expect(confirm.status).toBe(200);
    expect(text(confirm.text)).toMatch(/Unable to delete status: 1 dependent object/);
    expect(confirm.text).toMatch(/widget: <a href="\/plugins\/example\/widgets\/[0-9a-f-]+\/">blocker<\/a>/);
    const res = await ui.post(`/extras/statuses/${String(status.id)}/delete/`, { _confirm: '1' });
    expect(res.status).toBe(409);
    expect(await t.objects.get('extras.status', String(status.id))).not.toBeNull();

    const [free] = await t.objects.create('extras.tag', [{ name: 'ui-free' }]);
    const gone = await ui.post(`/extras/tags/${String(free.id)}/delete/`, { _confirm: '1' });
    expect(gone.status).toBe(303);
    expect(await t.objects.get('extras.tag', String(free.id))).toBeNull();
  });

  it('imports CSV atomically with per-row errors, and exports the filtered set', async () => {
    const bad = await ui.post('/extras/tags/import/', {
      csv_data: 'name,color,description\ncsv-a,aaaaaa,first\ncsv-b,notacolor,second\ncsv-c,cccccc,third\n',
    });
    expect(bad.status).toBe(400);
    expect(text(bad.text)).toContain('Nothing was imported');
    expect(text(bad.text)).toMatch(/3 color Enter a valid hexadecimal RGB color code\./);
    expect(await t.objects.count('extras.tag', { name__isw: 'csv-' })).toBe(0);

    const unknown = await ui.post('/extras/tags/import/', { csv_data: 'name,colour\nx,y\n' });
    expect(text(unknown.text)).toContain('Unknown column "colour".');

    const ok = await ui.post('/extras/tags/import/', {
      csv_data:
        'name,color,description,content_types\ncsv-a,aaaaaa,first,"example.widget,dcim.device"\ncsv-b,bbbbbb,second,\n',
    });
    expect(ok.status).toBe(303);
    expect(await t.objects.find('extras.tag', { name__isw: 'csv-' })).toEqual([
      expect.objectContaining({ name: 'csv-a', content_types: ['example.widget', 'dcim.device'] }),
      expect.objectContaining({ name: 'csv-b', content_types: [] }),
    ]);
    const changes = await t.api.get(
      '/api/extras/object-changes/?changed_object_type=extras.tag&action=create&limit=2',
    );
    expect(changes.body.results[0].change_context.value).toBe('import');

    const csv = await ui.get('/extras/tags/?name__isw=csv-&export=csv');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe('id,created,last_updated,name,color,description,content_types');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/,csv-a,aaaaaa,first,"example.widget,dcim.device"$/);

    // A widget export names its status and owner by natural key, so it imports back.
    await t.objects.create('example.widget', [{ name: 'csv-w', status: 'Active', owner: 'admin' }]);
    const widgets = await ui.get('/plugins/example/widgets/?name=csv-w&export=csv');
    expect(widgets.text).toMatch(/csv-w,gadget,Active,admin,1,/);
  });

  it('bulk edits and bulk deletes selected objects, all or nothing', async () => {
    const tags = await t.objects.create('extras.tag', [
      { name: 'bulk-1' },
      { name: 'bulk-2' },
      { name: 'bulk-3' },
    ]);
    const ids = tags.map((x) => String(x.id));
    const form = await ui.post('/extras/tags/edit/', { pk: ids.slice(0, 2), return_url: '/extras/tags/' });
    expect(form.status).toBe(200);
    expect(text(form.text)).toContain('Editing 2 tags');
    const applied = await ui.post('/extras/tags/edit/', {
      pk: ids.slice(0, 2),
      _apply: '1',
      description: 'bulk edited',
      color: '',
    });
    expect(applied.status).toBe(303);
    const after = await t.objects.find('extras.tag', { name__isw: 'bulk-' });
    expect(after.map((x) => x.description)).toEqual(['bulk edited', 'bulk edited', '']);

    const invalid = await ui.post('/extras/tags/edit/', { pk: ids, _apply: '1', color: 'nope' });
    expect(invalid.status).toBe(400);
    expect(text(invalid.text)).toContain('Enter a valid hexadecimal RGB color code.');

    const confirm = await ui.post('/extras/tags/delete/', { pk: ids.slice(1) });
    expect(confirm.status).toBe(200);
    expect(text(confirm.text)).toContain('The following 2 objects will be deleted');
    const deleted = await ui.post('/extras/tags/delete/', { pk: ids.slice(1), _confirm: '1' });
    expect(deleted.status).toBe(303);
    expect(await t.objects.count('extras.tag', { name__isw: 'bulk-' })).toBe(1);
  });

  it('filters with the filter engine (bad values are shown, not 500), sorts, and remembers columns', async () => {
    const bad = await ui.get('/plugins/example/widgets/?quantity=abc');
    expect(bad.status).toBe(200);
    expect(text(bad.text)).toContain('quantity: "abc" is not a whole number.');
    const unknown = await ui.get('/extras/tags/?colour=red');
    expect(text(unknown.text)).toContain('colour: Unknown filter field');

    const sorted = await ui.get('/extras/tags/?name__isw=csv-&sort=-name');
    const order = [...sorted.text.matchAll(/>(csv-[ab])</g)].map((m) => m[1]);
    expect(order).toEqual(['csv-b', 'csv-a']);

    const saved = await ui.post('/extras/tags/columns/', { columns: ['name', 'created'] });
    expect(saved.status).toBe(303);
    const [admin] = await t.objects.find('users.user', { username: 'admin' });
    expect(admin.config_data).toEqual({ tables: { 'extras.tag': { columns: ['name', 'created'] } } });
    const list = await ui.get('/extras/tags/');
    expect(list.text).toMatch(/<th><a [^>]*>Name[^<]*<\/a><\/th>\s*<th><a [^>]*>Created<\/a><\/th>\s*<\/tr>/);
    await ui.post('/extras/tags/columns/', { reset: '1' });
    expect((await ui.get('/extras/tags/')).text).toContain('>Color</a>');
  });

  it('shows an error panel where a plugin contribution throws; the page still renders', async () => {
    const home = await ui.get('/');
    expect(home.status).toBe(200);
    const page = text(home.text);
    expect(page).toContain('broken_ui: home panel Broken panel failed');
    expect(page).toContain('home panel exploded');
    expect(page).toContain('banner exploded');
    expect(page).toContain('Plinth example banner for admin');
    const [tag] = await t.objects.create('extras.tag', [{ name: 'panels' }]);
    const detail = await ui.get(`/extras/tags/${String(tag.id)}/`);
    expect(detail.status).toBe(200);
    expect(text(detail.text)).toContain('right panel exploded');
    expect(text(detail.text)).toContain('buttons exploded');
    expect(text(detail.text)).toContain('Related objects');
  });

  it('lists installed plugins with their versions, settings and contributions', async () => {
    const list = await ui.get('/plugins/installed-plugins/');
    expect(text(list.text)).toMatch(/Example Plugin @plinth\/plugin-example 1\.0\.0/);
    const example = text((await ui.get('/plugins/installed-plugins/example/')).text);
    expect(example).toContain('Version 1.0.0');
    expect(example).toContain('Settings greeting , instance_name , reserved_tag_prefix');
    expect(example).toContain(
      'navigation tab "Example Plugin": Example › example.widget, Example › Example Home',
    );
    expect(example).toContain('tab "Circuits": Example › Example Circuit Item');
    expect(example).toContain('template-extensions dcim.device, example.widget');
    expect(example).toContain('banners ExampleBanner');
    expect(example).toContain('view-overrides view example.widget:detail');
    expect(example).toContain('Models example.widget widget /api/plugins/example/widgets/');
    expect(example).toContain('Routes GET /api/plugins/example/summary GET /plugins/example');
    expect(example).toContain('cli-commands example-widgets');
    expect(example).toContain('install-hooks example.widget-statuses');
    expect((await ui.get('/plugins/installed-plugins/nope/')).status).toBe(404);
  });

  it('renders the list, add, import and export pages of every registered model', async () => {
    const { UiModels } = await import('@plinth/ui');
    const paths = new UiModels(t.ctx.models, t.ctx.plugins);
    const failures: string[] = [];
    for (const model of t.ctx.models.all()) {
      const base = paths.path(model);
      for (const p of [base, `${base}add/`, `${base}import/`, `${base}?export=csv`]) {
        const res = await ui.get(p);
        const expected = model.read_only && !p.includes('export') && p !== base ? 403 : 200;
        if (res.status !== expected) failures.push(`${p}: ${res.status}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('searches every model with its q filter', async () => {
    const res = await ui.get('/search/?q=csv-a');
    expect(res.status).toBe(200);
    expect(text(res.text)).toMatch(/Tags 1 result » csv-a/);
    expect(text((await ui.get('/search/?q=zz-nothing')).text)).toContain('No objects match');
    // Five per model, and whether there are more; the change log is not searched here.
    await t.objects.create(
      'extras.tag',
      Array.from({ length: 6 }, (_, i) => ({ name: `many-${i}`, content_types: [] })),
    );
    const many = text((await ui.get('/search/?q=many-')).text);
    expect(many).toMatch(/Tags More than 5 results »/);
    expect(many).not.toMatch(/Object changes/i);
  });
});
