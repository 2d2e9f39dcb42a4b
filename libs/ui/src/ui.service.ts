import { randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { parse as parseCookies } from 'cookie';
import type { Request, Response } from 'express';
import type nunjucks from 'nunjucks';
import {
  AuthorizationService,
  ObjectsServiceImpl,
  PLINTH_CONTEXT,
  PLINTH_VERSION,
  Reads,
  queryParams,
  type PlinthContext,
  type PlinthRequest,
} from '@plinth/core';
import {
  Banners,
  CORE_NAV_TABS,
  Navigation,
  toMarkup,
  PermissionDeniedError,
  type AuthUser,
  type Html,
  type ObjectsApi,
  type PermissionAction,
  type UiContext,
  type UiPageOptions,
  type UiPages,
} from '@plinth/plugin-sdk';
import { NavigationBuilder, type MenuTab } from './navigation';
import { createEnvironment } from './render';
import { guarded } from './slots';
import { RequestObjects } from './ui-objects';
import { UiModels } from './ui-models';

export const CSRF_COOKIE = 'plinth_csrf';
const FLASH_COOKIE = 'plinth_flash';
export const CSRF_FIELD = 'csrfmiddlewaretoken';

export type FlashLevel = 'success' | 'info' | 'warning' | 'danger';
export interface FlashMessage {
  level: FlashLevel;
  text: string;
}

export interface RenderedBanner {
  content: string;
  level: string;
}

function cookies(req: Request): Record<string, string | undefined> {
  return req.headers.cookie ? parseCookies(req.headers.cookie) : {};
}

export function sameSecret(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * What every page needs: the request's user, CSRF token, the menu, banners and flash messages,
 * rendered with the UI's Nunjucks environment. Also the SDK's UiPages service, so plugin pages
 * render inside the same layout.
 */
@Injectable()
export class UiService implements UiPages {
  readonly env: nunjucks.Environment = createEnvironment();
  readonly models: UiModels;
  readonly nav: NavigationBuilder;

  constructor(
    @Inject(PLINTH_CONTEXT) readonly ctx: PlinthContext,
    @Inject(AuthorizationService) readonly authz: AuthorizationService,
    @Inject(ObjectsServiceImpl) readonly objects: ObjectsServiceImpl,
    @Inject(Reads) private readonly reads: Reads,
  ) {
    this.models = new UiModels(ctx.models, ctx.plugins);
    const navigation = ctx.registries.get(Navigation);
    // The core tabs exist before any contribution fills them (empty tabs are hidden).
    for (const [name, weight] of Object.entries(CORE_NAV_TABS))
      navigation.register({ name, weight, groups: [] });
    navigation.register({
      name: 'Plugins',
      groups: [
        {
          name: 'Plugins',
          weight: 10,
          items: [{ label: 'Installed Plugins', link: '/plugins/installed-plugins/' }],
        },
      ],
    });
    this.nav = new NavigationBuilder(navigation.entries(), this.models, authz);
  }

  user(req: Request): AuthUser | null {
    return (req as PlinthRequest).plinth?.user ?? null;
  }

  /** The session's CSRF token; before login, a random token kept in a cookie (double submit). */
  csrfToken(req: Request, res?: Response): string {
    const session = (req as PlinthRequest).auth?.session;
    if (session) return session.csrf_token;
    const have = cookies(req)[CSRF_COOKIE];
    if (have) return have;
    const token = randomBytes(20).toString('hex');
    res?.cookie(CSRF_COOKIE, token, { httpOnly: true, sameSite: 'lax', path: '/', secure: req.secure });
    // Later reads within the same request see the token it was just given.
    req.headers.cookie = `${req.headers.cookie ? `${req.headers.cookie}; ` : ''}${CSRF_COOKIE}=${token}`;
    return token;
  }

  /** Does the POSTed token match the session's (or, before login, the cookie's)? */
  checkCsrf(req: Request): boolean {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const sent = typeof body[CSRF_FIELD] === 'string' ? (body[CSRF_FIELD] as string) : req.get('x-csrftoken');
    const session = (req as PlinthRequest).auth?.session;
    return sameSecret(sent, session ? session.csrf_token : cookies(req)[CSRF_COOKIE]);
  }

  can(req: Request, action: PermissionAction, label: string): Promise<boolean> {
    return this.authz.can(this.user(req), action, label);
  }

  context(req: unknown): UiContext {
    const r = req as Request;
    const user = this.user(r);
    return {
      user,
      path: r.path,
      query: queryParams(r),
      objects: this.userObjects(user),
      api: new RequestObjects(this.reads, this.models, user),
      url: (label, id) => this.models.url(label, id),
      can: (action, label) => this.authz.can(user, action, label),
      csrf_token: this.csrfToken(r),
    };
  }

  /**
   * The write path acting as the user, whose reads are the user's (through the read path): a
   * model the user may not view reads as nothing, so a contribution never shows more than the
   * user may see.
   */
  private userObjects(user: AuthUser | null): ObjectsApi {
    const actor = { user };
    const writes = this.objects.as({ user, source: 'web' });
    const orNothing = async <T>(read: () => Promise<T>, nothing: T): Promise<T> => {
      try {
        return await read();
      } catch (e) {
        if (e instanceof PermissionDeniedError) return nothing;
        throw e;
      }
    };
    const api: Pick<ObjectsApi, 'get' | 'find' | 'count'> = {
      get: (model, id) => orNothing(() => this.reads.get(actor, model, id, { as: 'record' }), null),
      find: (model, filters, opts) =>
        orNothing(
          async () =>
            (
              await this.reads.list(
                actor,
                model,
                filters,
                { limit: opts?.limit ?? 0, count: false },
                { as: 'record' },
              )
            ).results,
          [],
        ),
      count: (model, filters) => orNothing(() => this.reads.count(actor, model, filters), 0),
    };
    return { ...writes, ...api } as ObjectsApi;
  }

  flash(res: Response, level: FlashLevel, text: string): void {
    const list = [...((res.locals.flash as FlashMessage[] | undefined) ?? []), { level, text }];
    res.locals.flash = list;
    res.cookie(FLASH_COOKIE, Buffer.from(JSON.stringify(list)).toString('base64url'), {
      httpOnly: true,
      sameSite: 'lax',
      path: '/',
    });
  }

  private takeFlash(req: Request, res?: Response): FlashMessage[] {
    const raw = cookies(req)[FLASH_COOKIE];
    if (!raw || !res) return [];
    res.clearCookie(FLASH_COOKIE, { path: '/' });
    try {
      const list = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as FlashMessage[];
      return Array.isArray(list)
        ? list.filter((m) => typeof m?.text === 'string').map((m) => ({ level: m.level, text: m.text }))
        : [];
    } catch {
      return [];
    }
  }

  menu(req: Request): Promise<MenuTab[]> {
    return this.nav.build(this.user(req));
  }

  /** Plugin banners for this request; a failing banner shows as a danger banner naming the plugin. */
  async banners(req: Request): Promise<RenderedBanner[]> {
    const out: RenderedBanner[] = [];
    const ctx = this.context(req);
    for (const { item, plugin } of this.ctx.registries.get(Banners).entries()) {
      const r = await guarded(plugin, 'banner', () => item.render(ctx));
      if (!r.ok) out.push({ content: r.panel.body, level: 'danger' });
      else if (r.value) out.push({ content: toMarkup(r.value.content), level: r.value.level ?? 'info' });
    }
    return out;
  }

  /** Everything the layout template shows around a page's content. */
  async layout(req: Request, res?: Response): Promise<Record<string, unknown>> {
    const user = this.user(req);
    return {
      user,
      csrf_token: this.csrfToken(req, res),
      csrf_field: CSRF_FIELD,
      nav: user ? await this.menu(req) : [],
      banners: await this.banners(req),
      messages: [
        ...this.takeFlash(req, res),
        ...((res?.locals.flash as FlashMessage[] | undefined) ?? []),
      ].filter((m, i, all) => all.findIndex((x) => x.text === m.text) === i),
      version: PLINTH_VERSION,
      request_path: req.path,
      search_q: '',
    };
  }

  /** Render a template inside the layout and send it. */
  async send(
    req: Request,
    res: Response,
    template: string,
    data: Record<string, unknown>,
    status = 200,
  ): Promise<void> {
    if (res.locals.flash) res.clearCookie(FLASH_COOKIE, { path: '/' });
    const page = this.env.render(template, { ...(await this.layout(req, res)), ...data });
    res.status(status).type('html').send(page);
  }

  redirect(res: Response, url: string): void {
    res.redirect(303, url);
  }

  /** UiPages: a plugin's own page inside the layout. */
  async render(req: unknown, page: UiPageOptions): Promise<string> {
    const r = req as Request;
    return this.env.render('plugin-page.njk', {
      ...(await this.layout(r, r.res)),
      title: page.title,
      body: toMarkup(page.body as Html),
      breadcrumbs: page.breadcrumbs ?? [],
    });
  }

  /** An error page (403, 404, 500, ...) in the layout; falls back to plain text if that fails. */
  async sendError(req: Request, res: Response, status: number, message: string): Promise<void> {
    try {
      await this.send(req, res, 'error.njk', { title: `${status}`, status, message }, status);
    } catch {
      if (!res.headersSent) res.status(status).type('text').send(`${status}: ${message}`);
    }
  }
}
