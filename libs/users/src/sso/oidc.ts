import { Controller, Get, Inject, Injectable, Logger, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { parse as parseCookies } from 'cookie';
import type { Request, Response } from 'express';
import type * as OpenId from 'openid-client';
import {
  CORE_CONFIG,
  type AuthUser,
  Public,
  WEB_SESSIONS,
  type LoginMethod,
  type LoginMethodProvider,
  type WebSessions,
  safeReturn,
} from '@plinth/plugin-sdk';
import { usersSettings, type UsersSettings } from '../settings';
import { ExternalAccounts, type ExternalIdentity } from './accounts';
import { importEsm } from './esm';
import type { OidcSettings } from './settings';

/** Under the users plugin's URL space (plugins' routes stay in their own). */
const FLOW_PATH = '/users/oidc/';
const LOGIN_PATH = '/users/oidc/login/';
const CALLBACK_PATH = '/users/oidc/callback/';
/** The flow's secrets between the redirect to the provider and the callback (one browser's). */
const FLOW_COOKIE = 'plinth_oidc';
const FLOW_MINUTES = 10;

/** Why an OIDC login failed: fixed codes, shown on the login page as fixed messages. */
const ERRORS = {
  'oidc-state': 'The login could not be verified (it expired or did not start here). Please try again.',
  'oidc-provider': 'The identity provider did not complete the login.',
  'oidc-unavailable': 'The identity provider cannot be reached. Please try again later.',
  'oidc-claims': 'The identity provider did not say who you are (no username claim).',
  'oidc-unknown': 'There is no Plinth account for you yet. Ask an administrator to create one.',
  'oidc-inactive': 'Your Plinth account is inactive.',
} as const;
type OidcError = keyof typeof ERRORS;

interface Flow {
  state: string;
  nonce: string;
  verifier: string;
  next: string;
}

class OidcFailure extends Error {
  constructor(
    readonly code: OidcError,
    detail: string,
  ) {
    super(detail);
  }
}

/** OpenID Connect login (authorization code flow, PKCE, state and nonce) with openid-client. */
@Injectable()
export class OidcLogin implements LoginMethodProvider {
  readonly path = FLOW_PATH;
  private readonly logger = new Logger('OIDC');
  private discovered: Promise<OpenId.Configuration> | null = null;
  private client: Promise<typeof OpenId> | null = null;

  constructor(
    @usersSettings.inject() private readonly settings: UsersSettings,
    @Inject(CORE_CONFIG) private readonly config: { baseUrl: string | null },
    @Inject(ExternalAccounts) private readonly accounts: ExternalAccounts,
  ) {}

  get oidc(): OidcSettings | undefined {
    return this.settings.oidc;
  }

  methods(): readonly LoginMethod[] {
    return this.oidc ? [{ label: this.oidc.name, url: LOGIN_PATH }] : [];
  }

  errorMessage(code: string): string | undefined {
    return Object.hasOwn(ERRORS, code) ? ERRORS[code as OidcError] : undefined;
  }

  private lib(): Promise<typeof OpenId> {
    this.client ??= importEsm<typeof OpenId>('openid-client');
    return this.client;
  }

  /** The provider's metadata, discovered once (again after a failure). */
  private async configuration(oidc: OidcSettings): Promise<OpenId.Configuration> {
    const lib = await this.lib();
    this.discovered ??= lib
      .discovery(new URL(oidc.issuer), oidc.client_id, oidc.client_secret, undefined, {
        execute: oidc.allow_http ? [lib.allowInsecureRequests] : [],
      })
      .catch((e: unknown) => {
        this.discovered = null;
        throw new OidcFailure('oidc-unavailable', `discovery of ${oidc.issuer}: ${String(e)}`);
      });
    return this.discovered;
  }

  redirectUrl(oidc: OidcSettings, req: Request): string {
    if (oidc.redirect_url) return oidc.redirect_url;
    const base = this.config.baseUrl ?? `${req.protocol}://${req.get('host')}`;
    return new URL(CALLBACK_PATH, base).toString();
  }

  /** The provider's authorization URL; the flow's secrets go into a short-lived cookie. */
  async start(oidc: OidcSettings, req: Request, res: Response, next: string): Promise<string> {
    const lib = await this.lib();
    const config = await this.configuration(oidc);
    const flow: Flow = {
      state: lib.randomState(),
      nonce: lib.randomNonce(),
      verifier: lib.randomPKCECodeVerifier(),
      next,
    };
    res.cookie(FLOW_COOKIE, JSON.stringify(flow), {
      httpOnly: true,
      // Lax: the provider's redirect back is a top-level GET navigation, which carries it.
      sameSite: 'lax',
      secure: req.secure,
      path: FLOW_PATH,
      maxAge: FLOW_MINUTES * 60_000,
    });
    return lib
      .buildAuthorizationUrl(config, {
        redirect_uri: this.redirectUrl(oidc, req),
        scope: oidc.scopes,
        state: flow.state,
        nonce: flow.nonce,
        code_challenge: await lib.calculatePKCECodeChallenge(flow.verifier),
        code_challenge_method: 'S256',
      })
      .toString();
  }

  /** Check the provider's answer (state, PKCE, ID token and nonce) and bring the user up to date. */
  async finish(oidc: OidcSettings, req: Request): Promise<{ user: AuthUser; next: string }> {
    const flow = readFlow(req);
    if (!flow) throw new OidcFailure('oidc-state', 'no login in progress (flow cookie missing)');
    const lib = await this.lib();
    const config = await this.configuration(oidc);
    const redirect = this.redirectUrl(oidc, req);
    const current = new URL(redirect);
    current.search = new URL(req.originalUrl, 'http://callback').search;
    let tokens: Awaited<ReturnType<typeof lib.authorizationCodeGrant>>;
    try {
      tokens = await lib.authorizationCodeGrant(
        config,
        current,
        {
          pkceCodeVerifier: flow.verifier,
          expectedState: flow.state,
          expectedNonce: flow.nonce,
          idTokenExpected: true,
        },
        { redirect_uri: redirect },
      );
    } catch (e) {
      throw classify(lib, e);
    }
    const idClaims = tokens.claims();
    if (!idClaims) throw new OidcFailure('oidc-provider', 'no ID token');
    let claims: Record<string, unknown> = { ...idClaims };
    // Profile and group claims often come from userinfo only.
    if (config.serverMetadata().userinfo_endpoint) {
      const info = await lib.fetchUserInfo(config, tokens.access_token, idClaims.sub).catch((e: unknown) => {
        throw classify(lib, e);
      });
      claims = { ...info, ...claims };
    }
    const identity = toIdentity(oidc, claims);
    const result = await this.accounts.sync(identity, oidc);
    if (!result.ok)
      throw new OidcFailure(
        result.reason === 'unknown' ? 'oidc-unknown' : 'oidc-inactive',
        identity.username,
      );
    return { user: result.user, next: flow.next };
  }

  log(e: OidcFailure): void {
    this.logger.warn(`OIDC login failed (${e.code}): ${e.message}`);
  }
}

function readFlow(req: Request): Flow | null {
  const raw = req.headers.cookie ? parseCookies(req.headers.cookie)[FLOW_COOKIE] : undefined;
  if (!raw) return null;
  try {
    const f = JSON.parse(raw) as Partial<Flow>;
    return typeof f.state === 'string' && typeof f.nonce === 'string' && typeof f.verifier === 'string'
      ? { state: f.state, nonce: f.nonce, verifier: f.verifier, next: safeReturn(f.next, '/') }
      : null;
  } catch {
    return null;
  }
}

/** openid-client's errors as our codes: a provider's error answer, a failed check, or no answer. */
function classify(lib: typeof OpenId, e: unknown): OidcFailure {
  if (e instanceof OidcFailure) return e;
  // openid-client wraps the failed check (oauth4webapi's) as the cause: "unexpected "state" ...".
  const cause = e instanceof Error && e.cause instanceof Error ? `: ${e.cause.message}` : '';
  const detail = e instanceof Error ? `${e.message}${cause}` : String(e);
  if (e instanceof lib.AuthorizationResponseError || e instanceof lib.ResponseBodyError)
    return new OidcFailure('oidc-provider', `${e.error}: ${e.error_description ?? ''}`);
  if (e instanceof lib.ClientError && /"state"/.test(detail)) return new OidcFailure('oidc-state', detail);
  if (e instanceof TypeError || (e instanceof Error && /fetch failed|ECONNREFUSED/.test(detail)))
    return new OidcFailure('oidc-unavailable', detail);
  return new OidcFailure('oidc-provider', detail);
}

function claimString(claims: Record<string, unknown>, name: string): string | undefined {
  const v = claims[name];
  return typeof v === 'string' ? v : undefined;
}

function toIdentity(oidc: OidcSettings, claims: Record<string, unknown>): ExternalIdentity {
  const username = claimString(claims, oidc.claims.username)?.trim();
  if (!username) throw new OidcFailure('oidc-claims', `claim "${oidc.claims.username}" missing`);
  const groups = claims[oidc.claims.groups];
  return {
    username,
    email: claimString(claims, oidc.claims.email),
    first_name: claimString(claims, oidc.claims.first_name),
    last_name: claimString(claims, oidc.claims.last_name),
    groups: Array.isArray(groups) ? groups.filter((g): g is string => typeof g === 'string') : [],
  };
}

/** `/users/oidc/login/` (off to the provider) and `/users/oidc/callback/` (back, logged in or told why not). */
@ApiExcludeController()
@Controller('users/oidc')
export class OidcController {
  constructor(
    @Inject(OidcLogin) private readonly oidc: OidcLogin,
    @Inject(WEB_SESSIONS) private readonly sessions: WebSessions,
  ) {}

  @Public()
  @Get('login')
  async login(@Req() req: Request, @Res() res: Response) {
    const settings = this.oidc.oidc;
    if (!settings) return res.redirect(303, '/login/');
    const next = safeReturn(req.query.next, '/');
    try {
      res.redirect(303, await this.oidc.start(settings, req, res, next));
    } catch (e) {
      this.fail(res, e);
    }
  }

  @Public()
  @Get('callback')
  async callback(@Req() req: Request, @Res() res: Response) {
    const settings = this.oidc.oidc;
    if (!settings) return res.redirect(303, '/login/');
    try {
      const { user, next } = await this.oidc.finish(settings, req);
      res.clearCookie(FLOW_COOKIE, { path: FLOW_PATH });
      await this.sessions.start(req, res, user);
      res.redirect(303, next);
    } catch (e) {
      res.clearCookie(FLOW_COOKIE, { path: FLOW_PATH });
      this.fail(res, e);
    }
  }

  /** Back to the login page with a fixed message; the details go to the log, never a 500. */
  private fail(res: Response, e: unknown): void {
    const failure = e instanceof OidcFailure ? e : new OidcFailure('oidc-provider', String(e));
    this.oidc.log(failure);
    res.redirect(303, `/login/?login_error=${failure.code}`);
  }
}
