import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { SecretError, type SecretsProvider } from '@plinth/plugin-sdk';

/** Nautobot's `environment-variable` provider: the value of a variable of the server's environment. */
export const environmentVariableProvider: SecretsProvider = {
  slug: 'environment-variable',
  label: 'Environment Variable',
  description: "The value of an environment variable of Plinth's server and worker processes.",
  parameters: [
    {
      name: 'variable',
      label: 'Variable',
      pattern: '[A-Za-z_][A-Za-z0-9_]*',
      pattern_message: 'Enter an environment variable name (letters, digits and _).',
    },
  ],
  get(parameters, ctx) {
    const value = process.env[parameters.variable];
    if (value === undefined)
      throw new SecretError(
        `Secret "${ctx.secret}": the environment variable ${parameters.variable} is not set.`,
      );
    return Promise.resolve(value);
  },
};

/** Nautobot's `text-file` provider: a file's content (one trailing newline removed). */
export const textFileProvider: SecretsProvider = {
  slug: 'text-file',
  label: 'Text File',
  description: "The content of a file readable by Plinth's server and worker processes.",
  parameters: [
    {
      name: 'path',
      label: 'Path',
      help_text: 'Absolute path of the file.',
      pattern: '/.*',
      pattern_message: 'Enter an absolute path.',
    },
  ],
  async get(parameters, ctx) {
    try {
      const text = await fs.readFile(path.resolve(parameters.path), 'utf8');
      return text.replace(/\r?\n$/, '');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? 'error';
      throw new SecretError(`Secret "${ctx.secret}": the file ${parameters.path} cannot be read (${code}).`);
    }
  },
};
