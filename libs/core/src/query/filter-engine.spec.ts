import { ValidationError, sql, type Sql } from '@plinth/plugin-sdk';
import type { DataSource } from 'typeorm';
import { loadPlugins } from '../app/context';
import { AuthorizationService } from '../auth/authorization.service';
import { loadConfig } from '../config/config';
import { isUuid } from '../models/values';
import { FilterEngine, type QueryParams } from './filter-engine';
import type { Executor } from './natural-keys';

/*
 * What the filter engine makes of representative parameters, as SQL text and bind parameters
 * (snapshots, for review). The models are the built-in plugins' real ones, loaded without a
 * database; the queries that resolve natural keys are answered by a stub that knows a few names.
 */

const { models } = loadPlugins(loadConfig({}, __dirname));
const engine = new FilterEngine(models);

/** Natural keys the stub database knows, with their ids. */
const KNOWN: Readonly<Record<string, string>> = {
  AMS01: '00000000-0000-4000-8000-000000000001',
  Active: '00000000-0000-4000-8000-000000000002',
  core: '00000000-0000-4000-8000-000000000003',
  eos: '00000000-0000-4000-8000-000000000004',
  Leaf: '00000000-0000-4000-8000-000000000005',
  'Acme;DCS-7050': '00000000-0000-4000-8000-000000000006',
};

interface Rendered {
  text: string;
  values: unknown[];
}

/**
 * Table aliases come from a process-wide counter; numbered in order of appearance, the text of
 * a query does not depend on what ran before it.
 */
function render(q: Sql): Rendered {
  const { text, values } = q.toQuery();
  const seen = new Map<string, string>();
  const normalised = text
    .replace(/"_a\d+"/g, (a) => {
      if (!seen.has(a)) seen.set(a, `"_a${seen.size + 1}"`);
      return seen.get(a)!;
    })
    .replace(/\s+/g, ' ')
    .trim();
  return { text: normalised, values };
}

/** What the stub database answers to a natural-key lookup: every uuid exists, names only when KNOWN. */
function lookup(values: readonly unknown[]): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  for (const v of values.flat()) {
    if (typeof v !== 'string') continue;
    if (isUuid(v)) rows.push({ key: v.toLowerCase(), id: v.toLowerCase() });
    else if (KNOWN[v]) rows.push({ key: v, id: KNOWN[v] });
  }
  return rows;
}

/** The stub database as the engine's executor, recording what it was asked. */
function stubDb(): { db: Executor; asked: Rendered[] } {
  const asked: Rendered[] = [];
  const db: Executor = (q) => {
    const r = render(q);
    asked.push(r);
    return Promise.resolve(lookup(r.values));
  };
  return { db, asked };
}

async function compile(label: string, params: Record<string, string | string[]>) {
  const { db, asked } = stubDb();
  const query: QueryParams = Object.fromEntries(
    Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]),
  );
  const where = render(await engine.compile(models.require(label), query, sql.ident('t'), db));
  return asked.length ? { where, lookups: asked } : { where };
}

describe('filter engine: parameters to SQL', () => {
  it('exact values, repeated parameters OR-ed', async () => {
    expect(await compile('dcim.device', { name: ['edge1', 'edge2'], vc_position: '2' })).toMatchSnapshot();
  });

  it('string lookups: __ic, __isw, __ie, __n (LIKE wildcards in the value are escaped)', async () => {
    expect(
      await compile('dcim.device', {
        name__ic: 'edge_1%',
        serial__isw: 'FX',
        asset_tag__ie: 'a-1',
        name__n: 'spare',
      }),
    ).toMatchSnapshot();
  });

  it('__isnull on a foreign key and on a many-to-many field', async () => {
    expect(await compile('dcim.device', { rack__isnull: 'true', tags__isnull: 'false' })).toMatchSnapshot();
  });

  it('foreign keys by natural key and by uuid, resolved in one query per parameter', async () => {
    expect(
      await compile('dcim.device', {
        platform: 'eos',
        role: ['Leaf', '00000000-0000-4000-8000-00000000000a'],
        device_type: 'Acme;DCS-7050',
      }),
    ).toMatchSnapshot();
  });

  it('a tree foreign key (location) includes the descendants', async () => {
    expect(await compile('dcim.rack', { location: 'AMS01' })).toMatchSnapshot();
  });

  it('many-to-many tags', async () => {
    expect(
      await compile('dcim.device', { tags: 'core', tags__n: '00000000-0000-4000-8000-00000000000c' }),
    ).toMatchSnapshot();
  });

  it('q: the search fields (foreign keys by their natural key), or a model’s own q', async () => {
    expect(await compile('dcim.rack', { q: 'r1_0' })).toMatchSnapshot();
    expect(await compile('dcim.device', { q: 'edge' })).toMatchSnapshot();
  });

  it("dcim's model filters: has_*, tenant_group and rack_group (trees), mac_address", async () => {
    expect(
      await compile('dcim.device', {
        has_interfaces: 'true',
        has_device_bays: 'no',
        tenant_group: 'Customers',
        rack_group: '00000000-0000-4000-8000-00000000000b',
        mac_address: 'aa-bb-cc-00-11-22',
      }),
    ).toMatchSnapshot();
    expect(await compile('dcim.interface', { location: 'AMS01', cabled: 'true' })).toMatchSnapshot();
  });

  it('rejects unknown parameters, unknown references and bad values, naming the parameter', async () => {
    const errors = async (label: string, params: Record<string, string>) => {
      try {
        await compile(label, params);
      } catch (e) {
        expect(e).toBeInstanceOf(ValidationError);
        return (e as ValidationError).errors;
      }
      throw new Error('expected a ValidationError');
    };
    expect(await errors('dcim.device', { colour: 'red' })).toEqual({ colour: ['Unknown filter field'] });
    expect(await errors('dcim.device', { platform: 'junos' })).toEqual({
      platform: ['Select a valid choice. junos is not one of the available choices.'],
    });
    expect(await errors('dcim.device', { vc_position: 'two', has_interfaces: 'maybe' })).toEqual({
      vc_position: ['"two" is not a whole number.'],
      has_interfaces: ['"maybe" is not a valid boolean (use true or false).'],
    });
  });
});

describe('permission constraints', () => {
  const user = {
    id: '00000000-0000-4000-8000-0000000000ff',
    username: 'u',
    is_superuser: false,
    is_active: true,
  };

  /** An authorization service whose user holds `constraints` on viewing devices. */
  function authz(constraints: unknown): AuthorizationService {
    const manager = {
      query: (text: string, values: unknown[]) =>
        Promise.resolve(
          text.includes('core_objectpermission')
            ? [{ actions: ['view'], object_types: ['dcim.device'], constraints }]
            : lookup(values),
        ),
    };
    return new AuthorizationService({ manager } as unknown as DataSource, models, engine);
  }

  it('compile as filters of the model, each set AND-ed, the sets OR-ed', async () => {
    const service = authz([{ location: 'AMS01', status: 'Active' }, { tenant__isnull: true }]);
    const scope = await service.scope(user, 'view', 'dcim.device', sql.ident('t'));
    expect(render(scope!)).toMatchSnapshot();
  });

  it('grant nothing when broken, everything when empty', async () => {
    const broken = await authz({ no_such_filter: 1 }).scope(user, 'view', 'dcim.device', sql.ident('t'));
    expect(render(broken!).text).toBe('FALSE');
    expect(await authz({}).scope(user, 'view', 'dcim.device', sql.ident('t'))).toBeNull();
  });
});
