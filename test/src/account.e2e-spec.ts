import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { createTestApp, onDatabase, testDatabaseKind, type TestApp } from '@plinth/testing';
import { launchChromium, text, UiSession } from './ui-helpers';

const ARTIFACTS = path.resolve(__dirname, '..', '..', 'test-artifacts', 'ui', testDatabaseKind());

/** Self-service account pages: any user, without users.* permissions, manages their own account. */
describe(onDatabase('account pages (/user/)'), () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('shows a user without any permission their own profile and groups', async () => {
    const { user } = await t.createUser('pat', [], { password: 'Pat-password-42' });
    const [group] = await t.objects.create('users.group', [{ name: 'NOC' }]);
    await t.objects.update('users.user', [
      { id: String(user.id), groups: [String(group.id)], email: 'pat@example.com' },
    ]);
    const s = await new UiSession(t.baseUrl).login('pat', 'Pat-password-42');
    const page = await s.get('/user/profile/');
    expect(page.status).toBe(200);
    const body = text(page.text);
    expect(body).toContain('pat@example.com');
    expect(body).toContain('NOC');
    expect(page.text).toContain('href="/user/api-tokens/"');
    expect((await new UiSession(t.baseUrl).get('/user/profile/')).status).toBe(302);
  });

  it('changes the password: checks the old one and the policy, ends other sessions, keeps this one', async () => {
    await t.createUser('sam', [], { password: 'Sam-password-42' });
    const s = await new UiSession(t.baseUrl).login('sam', 'Sam-password-42');
    const other = await new UiSession(t.baseUrl).login('sam', 'Sam-password-42');

    const wrongOld = await s.post('/user/password/', {
      old_password: 'nope',
      new_password1: 'Brand-new-pass-9',
      new_password2: 'Brand-new-pass-9',
    });
    expect(wrongOld.status).toBe(400);
    expect(text(wrongOld.text)).toContain('Your old password was entered incorrectly');

    const mismatch = await s.post('/user/password/', {
      old_password: 'Sam-password-42',
      new_password1: 'Brand-new-pass-9',
      new_password2: 'Brand-new-pass-8',
    });
    expect(mismatch.status).toBe(400);
    expect(text(mismatch.text)).toContain("The two password fields didn't match.");

    const weak = await s.post('/user/password/', {
      old_password: 'Sam-password-42',
      new_password1: '12345678',
      new_password2: '12345678',
    });
    expect(weak.status).toBe(400);
    expect(text(weak.text)).toMatch(/too common|entirely numeric/);

    const ok = await s.post('/user/password/', {
      old_password: 'Sam-password-42',
      new_password1: 'Brand-new-pass-9',
      new_password2: 'Brand-new-pass-9',
    });
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toBe('/user/profile/');
    // This browser got a new session; the other one was logged out.
    expect((await s.get('/user/profile/')).status).toBe(200);
    expect((await other.get('/user/profile/')).status).toBe(302);
    await new UiSession(t.baseUrl).login('sam', 'Brand-new-pass-9');
    const changes = await t.api.get(
      '/api/extras/object-changes/?changed_object_type=users.user&user_name=sam',
    );
    expect(changes.body.results.length).toBeGreaterThan(0);
    expect(JSON.stringify(changes.body.results)).not.toContain('Brand-new-pass-9');
  });

  it('creates, lists and deletes only the user’s own API tokens; the key is shown once', async () => {
    const { token: otherKey } = await t.createUser('other');
    await t.createUser('kim', [], { password: 'Kim-password-42' });
    const s = await new UiSession(t.baseUrl).login('kim', 'Kim-password-42');

    const bad = await s.post('/user/api-tokens/', { description: 'x', expires: 'not a date' });
    expect(bad.status).toBe(400);
    expect(text(bad.text)).toMatch(/Expires|date/i);

    // What a browser's datetime-local input sends.
    const expiring = await s.post('/user/api-tokens/', { description: 'temp', expires: '2030-01-01T10:00' });
    expect(expiring.status).toBe(201);
    expect(text(expiring.text)).toContain('2030-01-01 10:00');

    const created = await s.post('/user/api-tokens/', { description: 'ansible', write_enabled: 'on' });
    expect(created.status).toBe(201);
    const key = /class="token-key[^"]*">([0-9a-f]{40})</.exec(created.text)?.[1];
    expect(key).toBeDefined();
    const page = await s.get('/user/api-tokens/');
    expect(text(page.text)).toContain('ansible');
    expect(page.text).not.toContain(key!);
    // Only kim's tokens are listed (kim has one from createUser, and the new one).
    expect(page.text).not.toContain(otherKey.slice(0, 8));
    const works = await t.http().get('/api/status/').set('Authorization', `Token ${key}`);
    expect(works.status).toBe(200);

    const [others] = await t.sql<{ id: string }>(
      `SELECT t.id FROM core_token t JOIN core_user u ON u.id = t.user_id WHERE u.username = 'other'`,
    );
    await s.post(`/user/api-tokens/${others.id}/delete/`, {});
    expect(await t.sql(`SELECT 1 FROM core_token WHERE id = $1`, [others.id])).toHaveLength(1);

    const [mine] = await t.sql<{ id: string }>(`SELECT id FROM core_token WHERE key_prefix = $1`, [
      key!.slice(0, 8),
    ]);
    const del = await s.post(`/user/api-tokens/${mine.id}/delete/`, {});
    expect(del.status).toBe(303);
    expect(await t.sql(`SELECT 1 FROM core_token WHERE id = $1`, [mine.id])).toHaveLength(0);
    const gone = await t.http().get('/api/status/').set('Authorization', `Token ${key}`);
    expect(gone.status).toBe(403);
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

    it('reaches the account pages from the user menu and creates a token', async () => {
      await t.createUser('lee', [], { password: 'Lee-password-42' });
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(`${t.baseUrl}/login/`);
      await page.fill('#id_username', 'lee');
      await page.fill('#id_password', 'Lee-password-42');
      await page.click('button[type=submit]');
      await page.click('button.user-menu');
      await page.click('a.dropdown-item[href="/user/api-tokens/"]');
      expect(page.url()).toBe(`${t.baseUrl}/user/api-tokens/`);
      await page.fill('#id_description', 'browser token');
      await page.click('.new-token button[type=submit]');
      await page.waitForSelector('.created-token');
      expect(await page.textContent('.account-tokens')).toContain('browser token');
      await page.screenshot({ path: path.join(ARTIFACTS, 'account-tokens.png'), fullPage: true });
      await page.click('.account-tabs >> text=Change password');
      await page.fill('#id_old_password', 'Lee-password-42');
      await page.fill('#id_new_password1', 'Lee-new-password-43');
      await page.fill('#id_new_password2', 'Lee-new-password-43');
      await page.click('.account-password button[type=submit]');
      await page.waitForURL(`${t.baseUrl}/user/profile/`);
      expect(await page.textContent('body')).toContain('Your password has been changed.');
      await page.screenshot({ path: path.join(ARTIFACTS, 'account-profile.png'), fullPage: true });
      await page.close();
    });
  });
});
