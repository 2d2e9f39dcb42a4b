import { Inject } from '@nestjs/common';
import { PlinthError } from './errors';
import { choices } from './fields';
import { createRegistry } from './registry';

/** Nautobot's `SecretsGroupAccessTypeChoices`: what a group's secret is used for. */
export const SECRETS_GROUP_ACCESS_TYPES = choices([
  ['Generic', 'Generic'],
  ['Console', 'Console'],
  ['gNMI', 'gNMI'],
  ['HTTP(S)', 'HTTP(S)'],
  ['NETCONF', 'NETCONF'],
  ['REST', 'REST'],
  ['RESTCONF', 'RESTCONF'],
  ['SNMP', 'SNMP'],
  ['SSH', 'SSH'],
]);

/** Nautobot's `SecretsGroupSecretTypeChoices`: which credential of the access a secret is. */
export const SECRETS_GROUP_SECRET_TYPES = choices([
  ['key', 'Key'],
  ['password', 'Password'],
  ['secret', 'Secret'],
  ['token', 'Token'],
  ['username', 'Username'],
  ['notes', 'Notes'],
]);

/** One parameter of a provider: a string a secret stores (the variable's name, the file's path). */
export interface SecretParameter {
  name: string;
  label: string;
  help_text?: string;
  /** Default true. */
  required?: boolean;
  /** The value must match (a JavaScript regular expression, whole value). */
  pattern?: string;
  /** Shown when the value does not match `pattern`. */
  pattern_message?: string;
}

/** What a provider is told about the retrieval (Nautobot's `obj`: a device a template-ish secret is for). */
export interface SecretLookupContext {
  /** The secret's name, for error messages. */
  secret: string;
  /** The object the value is wanted for, when the caller has one. */
  object?: Record<string, unknown> | null;
}

/**
 * Where secret values come from (Nautobot's SecretsProvider). A secret stores only the provider's
 * slug and its parameters; `get` reads the value each time it is needed. Throw `SecretError`
 * (or any error: it is reported naming the secret) when the value cannot be read.
 */
export interface SecretsProvider {
  /** Unique: `environment-variable`, `<plugin>-<name>` for plugins. */
  slug: string;
  label: string;
  description?: string;
  /** The parameters a secret of this provider stores, validated on save (400 naming `parameters.<name>`). */
  parameters: readonly SecretParameter[];
  get(parameters: Readonly<Record<string, string>>, ctx: SecretLookupContext): Promise<string>;
}
export const SecretsProviders = createRegistry<SecretsProvider>('secrets-providers');

/** 400: a secret's value could not be retrieved; the message names the secret, never a value. */
export class SecretError extends PlinthError {
  constructor(message: string) {
    super(400, message);
  }
}

/** A group's credential as code asks for it: `group.get('HTTP(S)', 'token')`. */
export interface SecretsGroupValues {
  readonly name: string;
  /** The value of the group's secret for this access and secret type (SecretError when it has none). */
  get(access_type: string, secret_type: string, object?: Record<string, unknown> | null): Promise<string>;
  /** Whether the group has a secret for this access and secret type. */
  has(access_type: string, secret_type: string): boolean;
}

/**
 * Retrieval of secret values (`@Inject(SECRETS)`), for code that needs them (Git credentials,
 * jobs). Values are never stored, returned by the API, logged, or given to user templates.
 */
export interface SecretsService {
  /** The value of one secret (by id or name). */
  value(secret: string, object?: Record<string, unknown> | null): Promise<string>;
  /** A secrets group (by id or name), to read its credentials. */
  group(group: string): Promise<SecretsGroupValues>;
}
export const SECRETS = Symbol.for('plinth:secrets');
export const InjectSecrets = (): ParameterDecorator & PropertyDecorator => Inject(SECRETS);
