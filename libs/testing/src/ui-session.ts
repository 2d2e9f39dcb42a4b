import request from 'supertest';

/** A browser-like HTTP client for the web UI: keeps cookies, knows the CSRF token. */
export class UiSession {
  readonly agent: ReturnType<typeof request.agent>;
  csrf = '';

  constructor(readonly baseUrl: string) {
    this.agent = request.agent(baseUrl);
  }

  static csrfIn(html: string): string {
    const m = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(html);
    if (!m) throw new Error('no CSRF token in page');
    return m[1];
  }

  /** POST the login form once (with the form's CSRF token) and return the answer, whatever it is. */
  async tryLogin(username: string, password: string) {
    const form = await this.agent.get('/login/');
    return this.agent
      .post('/login/')
      .type('form')
      .send({ username, password, csrfmiddlewaretoken: UiSession.csrfIn(form.text) });
  }

  async login(username = 'admin', password = 'admin-password-1'): Promise<this> {
    const form = await this.agent.get('/login/');
    const res = await this.agent
      .post('/login/')
      .type('form')
      .send({ username, password, next: '/', csrfmiddlewaretoken: UiSession.csrfIn(form.text) });
    if (res.status !== 303) throw new Error(`login failed: ${res.status}`);
    this.csrf = UiSession.csrfIn((await this.agent.get('/')).text);
    return this;
  }

  get(path: string) {
    return this.agent.get(path);
  }

  /** POST a form with the session's CSRF token (repeated keys as arrays). */
  post(path: string, form: Record<string, string | string[]>) {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries({ csrfmiddlewaretoken: this.csrf, ...form }))
      for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
    return this.agent.post(path).type('form').send(body.toString());
  }
}

/** Text of an HTML page without tags (for readable assertions). */
export function text(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#34;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ');
}
