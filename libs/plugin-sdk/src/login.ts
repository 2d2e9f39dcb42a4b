import { Inject } from '@nestjs/common';
import type { AuthUser } from './model';
import { createRegistry } from './registry';

/**
 * Doors for logins that are not local passwords (LDAP, OpenID Connect, ...). Core keeps one
 * password login (lockout, rate limits, sessions); plugins add backends and buttons to it.
 */

/**
 * A directory that checks a username and password (LDAP). Core's password login asks each backend,
 * in plugin order, after the local password check failed, inside the same lockout and rate limits.
 */
export interface PasswordBackend {
  /** Shown in logs. */
  readonly name: string;
  /** The user (created or updated from the directory) when the directory accepts the password. */
  authenticate(username: string, password: string): Promise<AuthUser | null>;
}
export const PasswordBackends = createRegistry<PasswordBackend>('password-backends');

/** A login that happens elsewhere (an identity provider): a button on the login page. */
export interface LoginMethod {
  /** "Log in with <label>". */
  label: string;
  /** Where the button goes (a route of the contributing plugin that redirects onwards). */
  url: string;
}

export interface LoginMethodProvider {
  /**
   * The provider's routes (start, callback) live below this path (`/users/oidc/`): anonymous
   * visitors reach them, as they reach the login page.
   */
  readonly path: string;
  /** The methods configured now (none when the plugin is not set up). */
  methods(): readonly LoginMethod[];
  /**
   * The message to show for `/login/?login_error=<code>` (a failed external login redirects
   * there); undefined when the code is not this provider's. Codes are fixed strings, never text
   * from the request, so a crafted link cannot put words on the login page.
   */
  errorMessage(code: string): string | undefined;
}
export const LoginMethods = createRegistry<LoginMethodProvider>('login-methods');

/** Starts browser sessions for users a plugin has authenticated itself (an OIDC callback). */
export interface WebSessions {
  /** Log `user` in on this response: the same session and cookie as the login form's. */
  start(req: unknown, res: unknown, user: AuthUser): Promise<void>;
}
export const WEB_SESSIONS = Symbol.for('plinth:web-sessions');
export const InjectWebSessions = (): ParameterDecorator & PropertyDecorator => Inject(WEB_SESSIONS);
