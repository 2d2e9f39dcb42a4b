import type { ComputedField } from '@plinth/plugin-sdk';
import { valueHtml, type RefNames } from './cells';

describe('valueHtml', () => {
  // Values without references never ask for names.
  const names = {} as RefNames;

  it('shows a list of objects as JSON, escaped (a JSON computed value), and plain lists as badges', () => {
    const computed: ComputedField = {
      name: 'overlaps',
      type: 'json',
      load: () => Promise.resolve(new Map()),
    };
    const html = valueHtml([{ kind: 'circuit', circuit: '<b>' }], computed, names, true);
    expect(html).toBe(
      '<pre class="mb-0 small">[\n  {\n    &quot;kind&quot;: &quot;circuit&quot;,\n    &quot;circuit&quot;: &quot;&lt;b&gt;&quot;\n  }\n]</pre>',
    );
    expect(valueHtml([{ a: 1 }], undefined, names)).toBe('<code class="small">[{&quot;a&quot;:1}]</code>');
    expect(valueHtml(['x', 'y'], undefined, names)).toBe(
      '<span class="badge text-bg-light border">x</span> <span class="badge text-bg-light border">y</span>',
    );
  });
});
