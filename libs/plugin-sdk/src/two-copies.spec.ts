import * as sdk from './index';

/**
 * A plugin built outside this repository may load its own copy of the SDK next to the host's.
 * Whatever the host reads from the plugin's copy (field metadata, errors, SQL fragments, the
 * request context, manifests, registry tokens) must work as if there were one copy.
 */
describe('two copies of the SDK in one process', () => {
  let other: typeof sdk;
  beforeAll(() => {
    jest.isolateModules(() => {
      other = jest.requireActual<typeof sdk>('./index');
    });
  });

  it('are really two copies', () => {
    expect(other.ValidationError).not.toBe(sdk.ValidationError);
    expect(other.getFieldMetas).not.toBe(sdk.getFieldMetas);
  });

  it('share field metadata', () => {
    class Gadget extends other.PrimaryModel {
      @other.Field.char({ max_length: 20 })
      name!: string;
    }
    expect(sdk.getFieldMetas(Gadget).map((f) => f.name)).toEqual(['id', 'created', 'last_updated', 'name']);
  });

  it('recognise each other’s errors by kind, not by prototype', () => {
    const invalid = other.ValidationError.field('name', 'Bad.');
    expect(invalid).toBeInstanceOf(sdk.ValidationError);
    expect(invalid).toBeInstanceOf(sdk.PlinthError);
    expect(invalid).not.toBeInstanceOf(sdk.NotFoundError);
    expect(new other.ProtectedError('in use', [])).toBeInstanceOf(sdk.ProtectedError);
    expect(new other.PermissionDeniedError()).toBeInstanceOf(sdk.PermissionDeniedError);
    expect(new other.NotFoundError()).not.toBeInstanceOf(sdk.PermissionDeniedError);
    expect(new Error('plain')).not.toBeInstanceOf(sdk.PlinthError);
    expect(null).not.toBeInstanceOf(sdk.PlinthError);
    // The brand is not enumerable: errors serialise as before.
    expect(Object.keys(invalid)).toEqual(['status', 'name', 'errors']);
  });

  it('keep the prototype check for classes a plugin derives', () => {
    class QuotaError extends sdk.ValidationError {}
    class OtherQuotaError extends other.ValidationError {}
    const quota = new QuotaError({ size: ['Too big.'] });
    expect(quota).toBeInstanceOf(QuotaError);
    expect(quota).toBeInstanceOf(sdk.ValidationError);
    expect(new OtherQuotaError({})).not.toBeInstanceOf(QuotaError);
    expect(new OtherQuotaError({})).toBeInstanceOf(sdk.ValidationError);
    expect(sdk.ValidationError.field('a', 'b')).not.toBeInstanceOf(QuotaError);
  });

  it('splice each other’s SQL fragments', () => {
    const fragment = other.sql`kind = ${'gizmo'}`;
    expect(fragment).toBeInstanceOf(sdk.Sql);
    expect(sdk.sql`SELECT 1 WHERE ${fragment} AND n = ${2}`.toQuery()).toEqual({
      text: 'SELECT 1 WHERE kind = $1 AND n = $2',
      values: ['gizmo', 2],
    });
    expect({ strings: [''], values: [] }).not.toBeInstanceOf(sdk.Sql);
    sdk.registerModelTable('acme.gadget', 'acme_gadget');
    expect(sdk.sql`SELECT * FROM ${other.sql.table('acme.gadget')}`.toQuery()).toEqual({
      text: 'SELECT * FROM "acme_gadget"',
      values: [],
    });
  });

  it('share the request context, manifests and registry tokens', () => {
    const state = { request_id: 'r1', user: null, base_url: '', source: 'api' as const, sql_count: 0 };
    expect(sdk.RequestContext.run(state, () => other.RequestContext.current())).toBe(state);
    expect(sdk.isDefinedPlugin(other.definePlugin({ name: 'p', version: '1.0.0' }))).toBe(true);
    expect(other.Models.provide).toBe(sdk.Models.provide);
    expect(sdk.isSafeHtml(other.html`<b>${'x'}</b>`)).toBe(true);
  });
});
