import * as path from 'node:path';
import { Registry, TemplateFilters, type TemplateFilter } from '@plinth/plugin-sdk';
import { TemplateEngine, filterSpecs } from './engine';

/**
 * The engine against published server-side template injection payloads (Nunjucks' own and the
 * Jinja2 ones operators paste from NetBox/Nautobot write-ups): every one must be a render error,
 * never code execution. A marker proves nothing ran: each payload that would execute code tries
 * to set `globalThis.__pwned` (in the worker) and to print the process' pid or environment.
 */

const FIXTURE = path.join(__dirname, '__fixtures__', 'filters.js');

function engineWith(filters: { item: TemplateFilter; plugin: string }[] = []): TemplateEngine {
  const registry = new Registry(TemplateFilters);
  for (const f of filters) registry.register(f.item, f.plugin);
  const engine = new TemplateEngine(registry);
  engine.onModuleInit();
  return engine;
}

const EXEC = `return (globalThis.__pwned = 1, process.pid + ':' + Object.keys(process.env).join(','))`;

export const SSTI_PAYLOADS: readonly string[] = [
  // Nunjucks: function constructor reached through a global function
  `{{ range.constructor("${EXEC}")() }}`,
  `{{ range.constructor("return global.process.mainModule.require('child_process').execSync('id').toString()")() }}`,
  `{{ range["constructor"]("${EXEC}")() }}`,
  `{{ range["con" + "structor"]("${EXEC}")() }}`,
  `{% set f = range.constructor %}{{ f("${EXEC}")() }}`,
  `{{ cycler.constructor("${EXEC}")() }}`,
  `{{ joiner.constructor("${EXEC}")() }}`,
  `{{ cycler(1,2).next.constructor("${EXEC}")() }}`,
  `{{ joiner().constructor.constructor("${EXEC}")() }}`,
  // through literals and data
  `{{ "".constructor.constructor("${EXEC}")() }}`,
  `{{ "".toString.constructor("${EXEC}")() }}`,
  `{{ [].constructor.constructor("${EXEC}")() }}`,
  `{{ {}.constructor.constructor("${EXEC}")() }}`,
  `{{ (1).constructor.constructor("${EXEC}")() }}`,
  `{{ x.constructor.constructor("${EXEC}")() }}`,
  `{{ x.__proto__.constructor }}`,
  `{{ x.__proto__.constructor.constructor("${EXEC}")() }}`,
  `{{ x["__proto__"]["constructor"]["constructor"]("${EXEC}")() }}`,
  `{{ obj.name.constructor.prototype }}`,
  `{{ obj.tags.constructor.constructor("${EXEC}")() }}`,
  `{{ obj.__defineGetter__ }}`,
  `{{ obj.hasOwnProperty("name") }}`,
  `{{ obj.name.valueOf.call }}`,
  `{{ range.apply(null, [1]) }}`,
  `{{ range.call.call(range.constructor, null, "${EXEC}")() }}`,
  `{{ range.bind }}`,
  // the context object's own prototype (plain-object context answers `constructor`)
  `{{ constructor.constructor("${EXEC}")() }}`,
  `{{ __proto__ }}`,
  `{{ __proto__.constructor }}`,
  `{{ valueOf.call }}`,
  // macros and caller are functions too
  `{% macro m() %}x{% endmacro %}{{ m.constructor("${EXEC}")() }}`,
  `{% macro m() %}{{ caller.constructor("${EXEC}")() }}{% endmacro %}{% call m() %}x{% endcall %}`,
  // host globals
  `{{ process.pid }}`,
  `{{ process.env }}`,
  `{{ require("child_process").execSync("id") }}`,
  `{{ global.process.mainModule }}`,
  `{{ globalThis.process }}`,
  `{{ this.constructor }}`,
  `{{ Function("${EXEC}")() }}`,
  `{{ eval("1+1") }}`,
  `{{ Buffer.from("x") }}`,
  // Jinja2 escapes pasted from NetBox/Nautobot advisories
  `{{ cycler.__init__.__globals__.os.popen("id").read() }}`,
  `{{ joiner.__init__.__globals__.os.popen("id").read() }}`,
  `{{ lipsum.__globals__["os"].popen("id").read() }}`,
  `{{ self.__init__.__globals__.__builtins__ }}`,
  `{{ "".__class__.__mro__[1].__subclasses__() }}`,
  `{{ request.application.__globals__.__builtins__.__import__("os").popen("id").read() }}`,
  `{{ namespace.__init__.__globals__.os.popen("id").read() }}`,
  `{{ config.__class__.__init__.__globals__["os"] }}`,
  // filters taking attribute names
  `{{ [range] | sort(attribute="constructor") | first }}`,
  `{% for k, v in [range] | groupby("constructor") %}{{ k }}{% endfor %}`,
  `{{ [range] | join(",", "constructor") }}`,
  `{{ [range] | sum("constructor") }}`,
  // other templates, files
  `{% include "/etc/passwd" %}`,
  `{% import "/etc/passwd" as p %}`,
  `{% extends "../../../../etc/passwd" %}`,
  // a plugin filter handing out a host function is refused (plain data only)
  `{{ (1 | acme_leak).fn("${EXEC}")() }}`,
];

describe('template sandbox', () => {
  let engine: TemplateEngine;
  beforeAll(() => {
    engine = engineWith([
      { item: { name: 'acme_shout', module: FIXTURE }, plugin: 'acme' },
      { item: { name: 'acme_leak', module: FIXTURE }, plugin: 'acme' },
    ]);
  });
  afterAll(() => engine.onModuleDestroy());

  const context = { x: 'text', obj: { name: 'edge-1', tags: ['a', 'b'] } };

  it.each(SSTI_PAYLOADS)('refuses %s', async (payload) => {
    const [r] = await engine.renderMany([{ source: payload, context }]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).not.toMatch(new RegExp(`\\b${process.pid}:`));
    // the worker is intact and nothing ran in it
    expect(await engine.render('{{ marker }}', { marker: 'ok' })).toBe('ok');
  });

  it('renders ordinary templates, with the built-in network filters and plugin filters', async () => {
    const out = await engine.render(
      '{{ obj.name | upper }} {{ obj.tags | join("/") }} {{ obj.name.startsWith("edge") }} ' +
        '{{ p | netmask }} {{ p | hostmask }} {{ "10.1.2.3/24" | network }} {{ p | prefixlen }} ' +
        '{{ "10.1.2.3/24" | ipaddr }} {{ "10.1.2.3" | in_network("10.0.0.0/8") }} {{ obj.name | acme_shout }} ' +
        '{% for t in obj.tags %}{{ loop.index }}{{ t }}{% endfor %}',
      { obj: { name: 'edge-1', tags: ['a', 'b'] }, p: '10.0.0.0/22' },
    );
    expect(out).toBe('EDGE-1 a/b true 255.255.252.0 0.0.3.255 10.1.2.0/24 22 10.1.2.3 true EDGE-1! 1a2b');
    expect(
      await engine.render('{% set c = cycler("x", "y") %}{{ c.next() }}{{ c.next() }}{{ c.next() }}', {}),
    ).toBe('xyx');
    expect(await engine.render('{{ "2001:db8::1/64" | network }} {{ "2001:db8::/64" | netmask }}', {})).toBe(
      '2001:db8::/64 ffff:ffff:ffff:ffff::',
    );
  });

  it('escapes interpolated values when autoescaping (HTML output)', async () => {
    const ctx = { name: '<script>alert(1)</script>' };
    expect(await engine.render('<b>{{ name }}</b>', ctx, { autoescape: true })).toBe(
      '<b>&lt;script&gt;alert(1)&lt;/script&gt;</b>',
    );
    expect(await engine.render('{{ name }}', ctx)).toBe(ctx.name);
  });

  it('stops a runaway loop within 2 s without blocking the event loop', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 50);
    const started = Date.now();
    const [r] = await engine.renderMany([
      {
        source:
          '{% for a in range(0, 50000) %}{% for b in range(0, 50000) %}{% for c in range(0, 50000) %}{% endfor %}{% endfor %}{% endfor %}',
        context: {},
      },
    ]);
    clearInterval(timer);
    const took = Date.now() - started;
    expect(r).toEqual({ ok: false, error: expect.stringMatching(/longer than 2 s/) });
    expect(took).toBeLessThan(3500);
    expect(ticks).toBeGreaterThan(20);
    // a new worker takes over
    expect(await engine.render('{{ 1 + 1 }}', {})).toBe('2');
  });

  it('caps output size and worker memory', async () => {
    const [big] = await engine.renderMany(
      [{ source: '{% for i in range(0, 2000) %}0123456789{% endfor %}', context: {} }],
      { max_output: 1000 },
    );
    expect(big).toEqual({ ok: false, error: 'output exceeds 1000 characters' });
    const [huge] = await engine.renderMany([{ source: '{{ range(0, 300000000) | length }}', context: {} }]);
    expect(huge).toEqual({ ok: false, error: expect.stringMatching(/at most 100000 items/) });
    const [doubling] = await engine.renderMany([
      {
        source:
          '{% set s = "0123456789" %}{% for i in range(0, 40) %}{% set s = s + s %}{% endfor %}{{ s | length }}',
        context: {},
      },
    ]);
    expect(doubling.ok).toBe(false);
    const [nested] = await engine.renderMany([
      {
        source:
          '{% set a = [1, 2] %}{% for i in range(0, 40) %}{% set a = [a, a] %}{% endfor %}{{ a | dump | length }}',
        context: {},
      },
    ]);
    expect(nested.ok).toBe(false);
    expect(await engine.render('{{ "still" }} {{ "fine" }}', {})).toBe('still fine');
  });

  it('reports syntax errors without running anything', () => {
    expect(engine.syntaxError('{{ obj.name }}')).toBeNull();
    expect(engine.syntaxError('{% for x in %}')).toMatch(/unexpected token/);
    expect(engine.syntaxError('{{ range.constructor("return process")() }}')).toBeNull();
  });

  it('batches renders in one round trip, errors per template', async () => {
    const results = await engine.renderMany([
      { source: '{{ a }}', context: { a: 1 } },
      { source: '{{ a.constructor }}', context: { a: 1 } },
      { source: '{{ a }}', context: { a: 3 } },
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
  });
});

describe('TemplateFilters registry', () => {
  it('requires the plugin name as prefix', () => {
    expect(() => filterSpecs([{ item: { name: 'shout', module: FIXTURE }, plugin: 'acme' }])).toThrow(
      /plugin acme: template filter "shout" must be named acme_<name>/,
    );
  });

  it('refuses a collision, naming the plugin', () => {
    expect(() =>
      filterSpecs([
        { item: { name: 'acme_shout', module: FIXTURE }, plugin: 'acme' },
        { item: { name: 'acme_shout', module: FIXTURE }, plugin: 'acme' },
      ]),
    ).toThrow(/plugin acme: template filter "acme_shout" is already registered by plugin acme/);
  });

  it('refuses a relative module path', () => {
    expect(() => filterSpecs([{ item: { name: 'acme_x', module: './x' }, plugin: 'acme' }])).toThrow(
      /absolute/,
    );
  });
});
