import type { ScalarTag, Tags } from 'yaml';

/** The `yaml` package, loaded when a file is first read (start-up need not load it). */
export function yamlPackage(): typeof import('yaml') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('yaml') as typeof import('yaml');
}

/*
 * The devicetype-library is written for, and checked with, PyYAML (`yaml.safe_load`): YAML 1.1
 * with PyYAML's own plain-scalar rules. The `yaml` package's 1.1 schema is close but reads more
 * as numbers and booleans (`08` and `e1` as numbers, `y`/`n` as booleans), so a file that names
 * a port `08` or a model `Y` reads differently than upstream. These are PyYAML's resolvers
 * (resolver.py) in place of the package's, matched by the package's own patterns so that an
 * upgrade that changes them fails loudly instead of silently reading files differently.
 */
const PYYAML: Readonly<Record<string, RegExp>> = {
  // booleans: no y/Y/n/N
  '^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$': /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/,
  '^(?:N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$': /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/,
  // decimal integers: no leading zero (`08` is text, `010` stays octal)
  '^[-+]?[0-9][0-9_]*$': /^[-+]?(?:0|[1-9][0-9_]*)$/,
  // floats: a dot is required, an exponent has a sign (`1e5` and `e1` are text)
  '^[-+]?(?:[0-9][0-9_]*)?(?:\\.[0-9_]*)?[eE][-+]?[0-9]+$':
    /^(?:[-+]?[0-9][0-9_]*\.[0-9_]*|\.[0-9][0-9_]*)[eE][-+][0-9]+$/,
  '^[-+]?(?:[0-9][0-9_]*)?\\.[0-9_]*$': /^(?:[-+]?[0-9][0-9_]*\.[0-9_]*|\.[0-9][0-9_]*)$/,
};

/** `customTags` for `yaml`'s `parse` with `version: '1.1'`: PyYAML's plain-scalar rules. */
export function pyyamlTags(tags: Tags): Tags {
  const replaced = new Set<string>();
  const out = tags.map((t) => {
    if (typeof t !== 'object' || !('test' in t) || !t.test) return t;
    const pattern = PYYAML[t.test.source];
    if (!pattern) return t;
    replaced.add(t.test.source);
    return { ...(t as ScalarTag), test: pattern };
  });
  const missing = Object.keys(PYYAML).filter((k) => !replaced.has(k));
  if (missing.length)
    throw new Error(`yaml's 1.1 schema changed; PyYAML rules not applied: ${missing.join(', ')}`);
  return out;
}
