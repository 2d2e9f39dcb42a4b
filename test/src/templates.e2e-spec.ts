import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { createTestApp, onDatabase, testDatabaseKind, type TestApp } from '@plinth/testing';
import { UiSession, launchChromium } from './ui-helpers';

const EXPORTS = '/api/extras/export-templates/';
const LINKS = '/api/extras/custom-links/';
const COMPUTED = '/api/extras/computed-fields/';
const MFRS = '/api/dcim/manufacturers/';
const ARTIFACTS = path.resolve(__dirname, '..', '..', 'test-artifacts', 'templates', testDatabaseKind());

const XSS = '<img src=x onerror=alert(1)>';

/**
 * User-authored templates (issue 10): export templates, custom links and computed fields on
 * every surface, rendered by the sandboxed engine (its SSTI suite is the unit test
 * libs/extras/src/templates/sandbox.spec.ts).
 */
describe(onDatabase('templates: export templates, custom links, computed fields'), () => {
  let t: TestApp;
  let acme: string;

  beforeAll(async () => {
    t = await createTestApp({
      plugins: ['@plinth/plugin-example'],
      pluginsConfig: { example: { instance_name: 'lab' } },
    });
    const made = await t.objects.create('dcim.manufacturer', [
      { name: 'acme', description: 'routers' },
      { name: 'globex', description: 'switches' },
      { name: XSS, description: 'evil' },
    ]);
    acme = made[0].id;
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('validation: bad input is a 400 naming the field, nothing half-written', () => {
    it('refuses template syntax errors at save time, per template field', async () => {
      const bad = await t.api.post(EXPORTS, {
        content_type: 'dcim.manufacturer',
        name: 'broken',
        template_code: '{% for m in %}',
      });
      expect(bad.status).toBe(400);
      expect(bad.body.template_code[0]).toMatch(/unexpected token/);

      const link = await t.api.post(LINKS, {
        content_type: 'dcim.manufacturer',
        name: 'l',
        text: '{{ obj.name',
        target_url: '/x/{% if %}',
      });
      expect(link.status).toBe(400);
      expect(Object.keys(link.body).sort()).toEqual(['target_url', 'text']);

      const cf = await t.api.post(COMPUTED, {
        content_type: 'dcim.manufacturer',
        key: 'k',
        label: 'K',
        template: '{% endfor %}',
      });
      expect(cf.status).toBe(400);
      expect(cf.body.template).toBeDefined();

      const huge = await t.api.post(EXPORTS, {
        content_type: 'dcim.manufacturer',
        name: 'huge',
        template_code: 'x'.repeat(100_001),
      });
      expect(huge.status).toBe(400);
      expect(huge.body.template_code[0]).toMatch(/no more than 100000 characters/);
    });

    it('refuses content types without the feature, bad MIME types and extensions', async () => {
      const res = await t.api.post(EXPORTS, {
        content_type: 'nope.model',
        name: 'x',
        template_code: 'x',
        mime_type: 'text/plain\r\nSet-Cookie: a=b',
        file_extension: '../x',
      });
      expect(res.status).toBe(400);
      expect(Object.keys(res.body).sort()).toEqual(['file_extension', 'mime_type']);
      const model = await t.api.post(EXPORTS, { content_type: 'nope.model', name: 'x', template_code: 'x' });
      expect(model.status).toBe(400);
      expect(model.body.content_type[0]).toMatch(/"nope.model" is not a model with export templates/);
      const changelog = await t.api.post(LINKS, {
        content_type: 'extras.objectchange',
        name: 'x',
        text: 'x',
        target_url: '/',
      });
      expect(changelog.status).toBe(400);
      expect(changelog.body.content_type[0]).toMatch(/not a model with custom links/);
    });

    it('keeps nothing of a bulk create with one bad item', async () => {
      const res = await t.api.post(COMPUTED, [
        { content_type: 'dcim.manufacturer', key: 'fine', label: 'Fine', template: '{{ obj.name }}' },
        { content_type: 'dcim.manufacturer', key: 'bad', label: 'Bad', template: '{{' },
      ]);
      expect(res.status).toBe(400);
      expect((await t.api.get(`${COMPUTED}?key=fine`)).body.count).toBe(0);
    });
  });

  describe('export templates', () => {
    beforeAll(async () => {
      const res = await t.api.post(EXPORTS, [
        {
          content_type: 'dcim.manufacturer',
          name: 'names',
          description: 'one name per line',
          template_code: '{% for m in queryset %}{{ m.name }}|{{ m.description | upper }}\n{% endfor %}',
          mime_type: 'text/plain',
          file_extension: 'txt',
        },
        {
          content_type: 'dcim.manufacturer',
          name: 'html',
          template_code: '<ul>{% for m in queryset %}<li>{{ m.name }}</li>{% endfor %}</ul>',
          mime_type: 'text/html',
          file_extension: 'html',
          as_attachment: false,
        },
        {
          content_type: 'dcim.manufacturer',
          name: 'runaway',
          template_code:
            '{% for a in range(0, 90000) %}{% for b in range(0, 90000) %}{% for c in queryset %}{% endfor %}{% endfor %}{% endfor %}',
        },
        {
          content_type: 'dcim.manufacturer',
          name: 'escape',
          template_code: '{{ range.constructor("return process")() }}',
        },
      ]);
      expect(res.status).toBe(201);
    });

    it('renders the filtered list with ?export=<name> on the REST list endpoint', async () => {
      const res = await t.api.get(`${MFRS}?export=names&description__ic=r`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="dcim_manufacturer.txt"/);
      expect(String(res.body ?? '') || (res as unknown as { text: string }).text).toBeDefined();
      const text = await fetchText(`${MFRS}?export=names&description__ic=r`, t.api.token!);
      expect(text).toBe('acme|ROUTERS\n');
    });

    it('scopes the queryset to what the user may view', async () => {
      const { token } = await t.createUser('scoped', [
        { actions: ['view'], object_types: ['dcim.manufacturer'], constraints: { name: 'globex' } },
      ]);
      expect(await fetchText(`${MFRS}?export=names`, token)).toBe('globex|SWITCHES\n');
    });

    it('escapes HTML exports and serves them sandboxed', async () => {
      const res = await rawGet(`${MFRS}?export=html&description=evil`, t.api.token!);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('content-disposition')).toMatch(/^inline; filename="dcim_manufacturer.html"/);
      expect(res.headers.get('content-security-policy')).toMatch(/^sandbox;/);
      expect(await res.text()).toBe('<ul><li>&lt;img src=x onerror=alert(1)&gt;</li></ul>');
    });

    it('answers unknown exports, runaway templates and escapes with a 400 naming export', async () => {
      const unknown = await t.api.get(`${MFRS}?export=nope`);
      expect(unknown.status).toBe(400);
      expect(unknown.body.export[0]).toMatch(/"nope" is not an export/);
      const started = Date.now();
      const runaway = await t.api.get(`${MFRS}?export=runaway`);
      expect(runaway.status).toBe(400);
      expect(runaway.body.export[0]).toMatch(/longer than 2 s/);
      expect(Date.now() - started).toBeLessThan(6000);
      const escape = await t.api.get(`${MFRS}?export=escape`);
      expect(escape.status).toBe(400);
      expect(escape.body.export[0]).toMatch(/"constructor" is not allowed/);
      // the server still renders after both
      expect(await fetchText(`${MFRS}?export=names&name=acme`, t.api.token!)).toBe('acme|ROUTERS\n');
    });

    it('offers the templates in the UI list Export menu and renders them there', async () => {
      const ui = await new UiSession(t.baseUrl).login();
      const page = (await ui.get('/dcim/manufacturers/?description=routers')).text;
      expect(page).toContain('data-export="csv"');
      expect(page).toContain(
        'data-export="names" href="/dcim/manufacturers/?description=routers&amp;export=names"',
      );
      const res = await ui.get('/dcim/manufacturers/?description=routers&export=names');
      expect(res.status).toBe(200);
      expect(res.text).toBe('acme|ROUTERS\n');
    });
  });

  describe('computed fields', () => {
    beforeAll(async () => {
      const res = await t.api.post(COMPUTED, [
        {
          content_type: 'dcim.manufacturer',
          key: 'shout',
          label: 'Shout',
          template: '{{ obj.name | upper }}!',
          weight: 10,
        },
        {
          content_type: 'dcim.manufacturer',
          key: 'broken',
          label: 'Broken',
          template: '{{ obj.name.constructor }}',
          fallback_value: 'n/a',
          weight: 20,
        },
        {
          content_type: 'dcim.manufacturer',
          key: 'net',
          label: 'Netmask',
          template: '{{ "10.0.0.0/22" | netmask }}',
          advanced_ui: true,
          weight: 30,
        },
      ]);
      expect(res.status).toBe(201);
    });

    it('returns computed_fields in REST when included, the fallback on a failed render', async () => {
      const plain = await t.api.get(`${MFRS}${acme}/`);
      expect(plain.body.computed_fields).toBeUndefined();
      const one = await t.api.get(`${MFRS}${acme}/?include=computed_fields`);
      expect(one.body.computed_fields).toEqual({
        shout: 'ACME!',
        broken: 'n/a',
        net: '255.255.252.0',
      });
    });

    it('renders a page in a fixed number of queries (no per-object SQL)', async () => {
      const few = await t.api.get(`${MFRS}?include=computed_fields&limit=1`);
      await t.objects.create(
        'dcim.manufacturer',
        Array.from({ length: 12 }, (_, i) => ({ name: `bulk-${i}` })),
      );
      const many = await t.api.get(`${MFRS}?include=computed_fields&limit=15`);
      expect(many.body.results).toHaveLength(15);
      expect(
        many.body.results.every((m: { computed_fields: { shout: string } }) =>
          m.computed_fields.shout.endsWith('!'),
        ),
      ).toBe(true);
      expect(many.queries).toBe(few.queries);
    });

    it('returns computed_fields in GraphQL', async () => {
      const res = await t.api.post('/api/graphql/', {
        query: '{ manufacturers(name: "acme") { name computed_fields } }',
      });
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.manufacturers[0].computed_fields).toMatchObject({ shout: 'ACME!', broken: 'n/a' });
    });

    it('shows a panel on detail pages, escaped, advanced fields folded', async () => {
      const ui = await new UiSession(t.baseUrl).login();
      const [evil] = await t.objects.find('dcim.manufacturer', { description: 'evil' });
      const page = (await ui.get(`/dcim/manufacturers/${String(evil.id)}/`)).text;
      expect(page).toContain('Computed Fields');
      expect(page).toMatch(
        /<tr data-computed-field="shout">\s*<th class="w-25" title="">Shout<\/th>\s*<td>&lt;IMG SRC=X ONERROR=ALERT\(1\)&gt;!<\/td>/,
      );
      expect(page).toMatch(
        /<details class="mt-2 computed-fields-advanced">\s*<summary>Advanced<\/summary>.*data-computed-field="net"/s,
      );
      expect(page).not.toContain('<img src=x');
      expect(page).not.toContain('<IMG SRC=X');
    });
  });

  describe('plugin filters', () => {
    it('run inside the sandbox next to the built-in network filters', async () => {
      const res = await t.api.post(COMPUTED, {
        content_type: 'dcim.manufacturer',
        key: 'plugin_filters',
        label: 'Plugin filters',
        template:
          '{{ obj.name | example_shout }} {{ 1.5 | example_rack_units }} {{ "192.0.2.9/24" | network }}',
        weight: 90,
      });
      expect(res.status).toBe(201);
      const one = await t.api.get(`${MFRS}${acme}/?include=computed_fields`);
      expect(one.body.computed_fields.plugin_filters).toBe('ACME! 2U 192.0.2.0/24');
      expect((await t.api.delete(`${COMPUTED}${res.body.id}/`)).status).toBe(204);
    });
  });

  describe('custom links', () => {
    beforeAll(async () => {
      const res = await t.api.post(LINKS, [
        {
          content_type: 'dcim.manufacturer',
          name: 'search',
          text: 'Search {{ obj.name }}',
          target_url: 'https://search.example.com/?q={{ obj.name | urlencode }}',
          weight: 10,
          button_class: 'primary',
          new_window: true,
        },
        {
          content_type: 'dcim.manufacturer',
          name: 'docs',
          text: 'Docs',
          target_url: '/docs/{{ obj.id }}/',
          group_name: 'More',
          weight: 20,
        },
        {
          content_type: 'dcim.manufacturer',
          name: 'wiki',
          text: 'Wiki of {{ obj.description }}',
          target_url: '/wiki/{{ obj.name }}',
          group_name: 'More',
          weight: 30,
        },
        {
          content_type: 'dcim.manufacturer',
          name: 'boom',
          text: '{{ obj.name.__proto__ }}',
          target_url: '/',
          weight: 40,
        },
        {
          content_type: 'dcim.manufacturer',
          name: 'script-url',
          text: 'Click',
          target_url: 'javascript:alert(document.cookie)',
          weight: 50,
        },
        {
          content_type: 'dcim.manufacturer',
          name: 'hidden',
          text: '{% if obj.name == "nobody" %}Never{% endif %}',
          target_url: '/',
          weight: 60,
        },
      ]);
      expect(res.status).toBe(201);
    });

    it('renders buttons, a group dropdown and error badges on detail pages', async () => {
      const ui = await new UiSession(t.baseUrl).login();
      const page = (await ui.get(`/dcim/manufacturers/${acme}/`)).text;
      expect(page).toContain(
        '<a class="btn btn-sm btn-primary plugin-button" data-plugin="extras" href="https://search.example.com/?q=acme" target="_blank" rel="noopener noreferrer">Search acme</a>',
      );
      expect(page).toMatch(
        /<div class="btn-group plugin-button-group" data-group="More">[\s\S]*Docs[\s\S]*Wiki of routers[\s\S]*<\/div>/,
      );
      expect(page).toContain(`href="/docs/${acme}/"`);
      expect(page).toMatch(
        /plugin-button-error" data-plugin="extras" title="Custom link &quot;boom&quot; failed to render: [^"]*__proto__[^"]*">boom: error/,
      );
      expect(page).toMatch(/plugin-button-error[^>]*only http\(s\) URLs[^>]*>script-url: error/);
      expect(page).not.toContain('javascript:alert');
      expect(page).not.toContain('Never');
    });

    it('escapes stored XSS in object data and template output', async () => {
      const ui = await new UiSession(t.baseUrl).login();
      const [evil] = await t.objects.find('dcim.manufacturer', { description: 'evil' });
      const page = (await ui.get(`/dcim/manufacturers/${String(evil.id)}/`)).text;
      expect(page).toContain('>Search &lt;img src=x onerror=alert(1)&gt;</a>');
      expect(page).toContain('href="https://search.example.com/?q=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E"');
      expect(page).not.toContain(XSS);
    });
  });

  describe('change log, CSV, GraphQL and permissions of the template objects', () => {
    it('change-logs writes', async () => {
      const [link] = (await t.api.get(`${LINKS}?name=docs`)).body.results;
      const res = await t.api.patch(`${LINKS}${link.id}/`, { weight: 25 });
      expect(res.status).toBe(200);
      const changes = await t.api.get(
        `/api/extras/object-changes/?changed_object_type=extras.customlink&action=update`,
      );
      expect(changes.body.results[0]).toMatchObject({ object_repr: 'docs', postchange_data: { weight: 25 } });
      const created = await t.api.get(
        `/api/extras/object-changes/?changed_object_type=extras.exporttemplate&action=create`,
      );
      expect(created.body.count).toBe(4);
    });

    it('lists them in CSV and GraphQL', async () => {
      const csv = await rawGet(`${EXPORTS}?format=csv&name=names`, t.api.token!);
      const body = await csv.text();
      expect(body.split('\n')[0]).toContain('template_code');
      expect(body).toContain('names');
      const gql = await t.api.post('/api/graphql/', {
        query:
          '{ export_templates(name: "names") { name mime_type as_attachment } custom_links(name: "docs") { group_name } computed_fields(key: "shout") { label template } }',
      });
      expect(gql.body.errors).toBeUndefined();
      expect(gql.body.data).toEqual({
        export_templates: [{ name: 'names', mime_type: 'text/plain', as_attachment: true }],
        custom_links: [{ group_name: 'More' }],
        computed_fields: [{ label: 'Shout', template: '{{ obj.name | upper }}!' }],
      });
    });

    it('requires permissions', async () => {
      const { api } = await t.createUser('linkviewer', [
        { actions: ['view'], object_types: ['extras.customlink'] },
      ]);
      expect((await api.get(LINKS)).status).toBe(200);
      expect((await api.get(EXPORTS)).status).toBe(403);
      const add = await api.post(LINKS, {
        content_type: 'dcim.manufacturer',
        name: 'n',
        text: 'x',
        target_url: '/',
      });
      expect(add.status).toBe(403);
    });
  });

  describe('in a browser', () => {
    let browser: Browser;
    beforeAll(async () => {
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      browser = await launchChromium();
    });
    afterAll(async () => {
      await browser?.close();
    });

    it('shows the Export menu, custom link buttons and the computed fields panel', async () => {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      const dialogs: string[] = [];
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      await page.goto(`${t.baseUrl}/login/`);
      await page.fill('#id_username', 'admin');
      await page.fill('#id_password', 'admin-password-1');
      await page.click('button[type=submit]');
      await page.waitForURL(`${t.baseUrl}/`);

      await page.goto(`${t.baseUrl}/dcim/manufacturers/?description=routers`);
      await page.click('.export-menu > button');
      const menu = page.locator('.export-menu .dropdown-menu');
      await menu.waitFor({ state: 'visible' });
      await expect(menu.innerText()).resolves.toMatch(/CSV[\s\S]*html[\s\S]*names/);
      await page.screenshot({ path: path.join(ARTIFACTS, '01-export-menu.png') });
      const download = page.waitForEvent('download');
      await menu.locator('[data-export="names"]').click();
      const file = await download;
      expect(file.suggestedFilename()).toBe('dcim_manufacturer.txt');
      expect(fs.readFileSync((await file.path())!, 'utf8')).toBe('acme|ROUTERS\n');

      const [evil] = await t.objects.find('dcim.manufacturer', { description: 'evil' });
      await page.goto(`${t.baseUrl}/dcim/manufacturers/${String(evil.id)}/`);
      await page.click('.plugin-button-group[data-group="More"] > button');
      await page
        .locator('.plugin-button-group[data-group="More"] .dropdown-menu')
        .waitFor({ state: 'visible' });
      await expect(page.locator('.object-buttons a.btn-primary').innerText()).resolves.toBe(`Search ${XSS}`);
      await expect(page.locator('.plugin-button-error').count()).resolves.toBe(2);
      await expect(page.locator('[data-computed-field="shout"] td').innerText()).resolves.toBe(
        `${XSS.toUpperCase()}!`,
      );
      await page.screenshot({ path: path.join(ARTIFACTS, '02-detail.png'), fullPage: true });
      expect(dialogs).toEqual([]);
      await page.close();
    });
  });

  async function rawGet(url: string, token: string): Promise<Response> {
    return fetch(`${t.baseUrl}${url}`, { headers: { Authorization: `Token ${token}` } });
  }

  async function fetchText(url: string, token: string): Promise<string> {
    const res = await rawGet(url, token);
    expect(res.status).toBe(200);
    return res.text();
  }
});

describe(onDatabase('template filter registry'), () => {
  it('stops start-up naming the plugin when a filter lacks its prefix', async () => {
    const fixture = path.resolve(__dirname, '../../libs/core/src/plugins/__fixtures__/template-filter-clash');
    let message = '';
    try {
      const app = await createTestApp({ plugins: [fixture] });
      await app.close();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toBe('plugin filter_clash: template filter "upper" must be named filter_clash_<name>');
  });
});
