import {
  UiSession,
  createTestApp,
  onDatabase,
  text as pageText,
  until,
  type TestApp,
} from '@plinth/plugin-sdk/testing';

const DV = '/api/plugins/data-validation/';
const TENANTS = '/api/tenancy/tenants/';
const REDIS = process.env.PLINTH_TEST_REDIS_URL;

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe(onDatabase('data validation app'), () => {
  let t: TestApp;
  let g1: string;
  let g2: string;
  const rules: Record<string, Obj> = {};

  beforeAll(async () => {
    t = await createTestApp({
      // The example plugin brings a model with a numeric field and jobs that write it.
      plugins: ['@plinth/app-data-validation', '@plinth/plugin-example'],
      pluginsConfig: { example: { instance_name: 'dv' } },
      worker: true,
      env: REDIS ? { REDIS_URL: REDIS } : {},
    });
    const cf = await t.api.post('/api/extras/custom-fields/', {
      key: 'seats',
      label: 'Seats',
      type: 'integer',
      content_types: ['tenancy.tenant'],
    });
    expect(cf.status).toBe(201);
    const groups = await t.api.post('/api/tenancy/tenant-groups/', [{ name: 'g1' }, { name: 'g2' }]);
    expect(groups.status).toBe(201);
    [g1, g2] = groups.body.map((g: Obj) => g.id);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('rejects bad rules with a 400 naming the field, storing nothing', async () => {
    const base = { content_type: 'tenancy.tenant', field: 'name' };
    const cases: [string, Obj, string, RegExp][] = [
      [
        'regex-rules',
        { ...base, content_type: 'nope.model', regular_expression: 'x' },
        'content_type',
        /not an installed model/,
      ],
      ['regex-rules', { ...base, field: 'colour', regular_expression: 'x' }, 'field', /no field "colour"/],
      ['regex-rules', { ...base, field: 'created', regular_expression: 'x' }, 'field', /not set by users/],
      ['regex-rules', { ...base, regular_expression: '(a' }, 'regular_expression', /missing closing \)/],
      [
        'regex-rules',
        { ...base, regular_expression: '(?=a)b' },
        'regular_expression',
        /unsupported Perl syntax/,
      ],
      ['regex-rules', { ...base, regular_expression: 'a'.repeat(1001) }, 'regular_expression', /under 1000/],
      ['min-max-rules', { ...base, min: 1 }, 'field', /cannot check a string field/],
      [
        'min-max-rules',
        { ...base, field: 'cf_seats', min: 5, max: 1 },
        'max',
        /not be less than the minimum/,
      ],
      ['min-max-rules', { ...base, field: 'cf_seats' }, 'min', /a minimum, a maximum or both/],
      ['required-rules', { ...base, field: 'cf_missing' }, 'field', /no custom field "missing"/],
      ['unique-rules', { ...base, field: 'comments', scope: ['nope'] }, 'scope', /no field "nope"/],
      ['unique-rules', { ...base, field: 'comments', scope: ['comments'] }, 'scope', /listed twice/],
      ['unique-rules', { ...base, field: 'comments', max_instances: 0 }, 'max_instances', /./],
    ];
    for (const [path, body, field, message] of cases) {
      const res = await t.api.post(`${DV}${path}/`, { name: `bad-${field}`, ...body });
      expect([path, field, res.status]).toEqual([path, field, 400]);
      expect(Object.keys(res.body)).toEqual([field]);
      expect(res.body[field][0]).toMatch(message);
    }
    for (const path of ['regex-rules', 'min-max-rules', 'required-rules', 'unique-rules'])
      expect((await t.api.get(`${DV}${path}/`)).body.count).toBe(0);
  });

  it('manages rules over REST (Nautobot DVE shapes), with change log and GraphQL', async () => {
    const specs: [string, string, Obj][] = [
      [
        'slug',
        'regex-rules',
        {
          name: 'tenant-slug',
          field: 'name',
          regular_expression: '^[a-z][a-z0-9-]*$',
          error_message: 'Tenant names are lower-case slugs.',
        },
      ],
      ['description', 'required-rules', { name: 'tenant-description', field: 'description' }],
      ['seats', 'min-max-rules', { name: 'seats-range', field: 'cf_seats', min: 1, max: 10 }],
      [
        'comments',
        'unique-rules',
        { name: 'comments-per-group', field: 'comments', max_instances: 1, scope: ['tenant_group'] },
      ],
    ];
    for (const [key, path, body] of specs) {
      const res = await t.api.post(`${DV}${path}/`, { content_type: 'tenancy.tenant', ...body });
      expect([key, res.status, res.body]).toEqual([
        key,
        201,
        expect.objectContaining({ ...body, enabled: true }),
      ]);
      expect(res.body.url).toContain(`${DV}${path}/${res.body.id}/`);
      rules[key] = res.body;
    }
    expect(rules.slug.object_type).toBe('data_validation.regularexpressionvalidationrule');
    expect(rules.comments.object_type).toBe('data_validation.uniquevalidationrule');
    expect(rules.description.error_message).toBe('');

    const root = await t.api.get(DV);
    expect(Object.keys(root.body).sort()).toEqual([
      'audit-results',
      'min-max-rules',
      'regex-rules',
      'required-rules',
      'unique-rules',
    ]);
    // One required rule per field (Nautobot's unique together).
    const twice = await t.api.post(`${DV}required-rules/`, {
      name: 'again',
      content_type: 'tenancy.tenant',
      field: 'description',
    });
    expect(twice.status).toBe(400);

    // Object permissions per rule model, as for every model.
    const { api: viewer } = await t.createUser('rule-viewer', [
      { actions: ['view'], object_types: ['data_validation.regularexpressionvalidationrule'] },
    ]);
    expect((await viewer.get(`${DV}regex-rules/`)).body.count).toBe(1);
    expect((await viewer.get(`${DV}unique-rules/`)).status).toBe(403);
    expect(
      (await viewer.post(`${DV}regex-rules/`, { ...rules.slug, name: 'copy', id: undefined })).status,
    ).toBe(403);

    const changes = await t.api.get(`/api/extras/object-changes/?changed_object_id=${rules.slug.id}`);
    expect(changes.body.results[0]).toMatchObject({
      action: { value: 'create' },
      changed_object_type: 'data_validation.regularexpressionvalidationrule',
    });
    const gql = await t.api.post('/api/graphql/', {
      query:
        '{ regular_expression_validation_rules { name field regular_expression } unique_validation_rules { name scope max_instances } }',
    });
    expect(gql.body.errors).toBeUndefined();
    expect(gql.body.data).toEqual({
      regular_expression_validation_rules: [
        { name: 'tenant-slug', field: 'name', regular_expression: '^[a-z][a-z0-9-]*$' },
      ],
      unique_validation_rules: [{ name: 'comments-per-group', scope: ['tenant_group'], max_instances: 1 }],
    });
  });

  it('enforces the rules on REST and write-API writes, with the message on the field', async () => {
    const bad = await t.api.post(TENANTS, { name: 'Bad Name', description: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ name: ['Tenant names are lower-case slugs.'] });
    const missing = await t.api.post(TENANTS, { name: 'acme' });
    expect(missing.body).toEqual({ description: ['This field is required (rule "tenant-description").'] });
    const seats = await t.api.post(TENANTS, { name: 'acme', description: 'd', custom_fields: { seats: 11 } });
    expect(seats.body).toEqual({
      'custom_fields.seats': ['Value is more than the maximum of 10 (rule "seats-range").'],
    });
    const acme = await t.api.post(TENANTS, {
      name: 'acme',
      description: 'd',
      comments: 'c1',
      tenant_group: g1,
      custom_fields: { seats: 5 },
    });
    expect(acme.status).toBe(201);
    const dup = await t.api.post(TENANTS, {
      name: 'globex',
      description: 'd',
      comments: 'c1',
      tenant_group: g1,
    });
    expect(dup.body).toEqual({
      comments: [
        'Only one object with the same tenant_group may have this value (rule "comments-per-group").',
      ],
    });
    // Another group is another scope.
    expect(
      (await t.api.post(TENANTS, { name: 'initech', description: 'd', comments: 'c1', tenant_group: g2 }))
        .status,
    ).toBe(201);
    // Updates are checked too; the object itself does not count against its unique value.
    const rename = await t.api.patch(`${TENANTS}${acme.body.id}/`, { name: 'ACME' });
    expect(rename.body).toEqual({ name: ['Tenant names are lower-case slugs.'] });
    expect(
      (await t.api.patch(`${TENANTS}${acme.body.id}/`, { comments: 'c1', description: 'dd' })).status,
    ).toBe(200);
    // The write API plugins and jobs use (here as the system) goes through the same validator.
    await expect(
      t.objects.create('tenancy.tenant', [{ name: 'System Tenant', description: 'd' }]),
    ).rejects.toMatchObject({
      status: 400,
      errors: { name: ['Tenant names are lower-case slugs.'] },
    });
  });

  it('stops enforcing a rule as soon as it is disabled, and again enforces it when enabled', async () => {
    expect((await t.api.patch(`${DV}regex-rules/${rules.slug.id}/`, { enabled: false })).status).toBe(200);
    const legacy = await t.api.post(TENANTS, { name: 'Legacy Corp', description: 'd' });
    expect(legacy.status).toBe(201);
    expect((await t.api.patch(`${DV}regex-rules/${rules.slug.id}/`, { enabled: true })).status).toBe(200);
    expect((await t.api.post(TENANTS, { name: 'Legacy Two', description: 'd' })).status).toBe(400);
    // A second unique violation for the audit, written while its rule is disabled.
    await t.api.patch(`${DV}unique-rules/${rules.comments.id}/`, { enabled: false });
    expect(
      (await t.api.post(TENANTS, { name: 'hooli', description: 'd', comments: 'c1', tenant_group: g1 }))
        .status,
    ).toBe(201);
    await t.api.patch(`${DV}unique-rules/${rules.comments.id}/`, { enabled: true });
  });

  it('checks many-to-many fields, and stops enforcing a deleted rule at once', async () => {
    const rule = await t.api.post(`${DV}required-rules/`, {
      name: 'tagged-providers',
      content_type: 'circuits.provider',
      field: 'tags',
      error_message: 'Tag every provider.',
    });
    expect(rule.status).toBe(201);
    expect(
      (await t.api.post('/api/extras/tags/', { name: 'gold', content_types: ['circuits.provider'] })).status,
    ).toBe(201);
    const untagged = await t.api.post('/api/circuits/providers/', { name: 'p1' });
    expect(untagged.body).toEqual({ tags: ['Tag every provider.'] });
    expect((await t.api.post('/api/circuits/providers/', { name: 'p1', tags: ['gold'] })).status).toBe(201);
    expect((await t.api.delete(`${DV}required-rules/${rule.body.id}/`)).status).toBe(204);
    expect((await t.api.post('/api/circuits/providers/', { name: 'p2' })).status).toBe(201);
  });

  it('keeps bulk REST writes atomic, objects of one batch counting against each other', async () => {
    const mixed = await t.api.post(TENANTS, [
      { name: 'bulk-a', description: 'd' },
      { name: 'Bulk B', description: 'd' },
    ]);
    expect(mixed.status).toBe(400);
    expect(mixed.body).toEqual([{}, { name: ['Tenant names are lower-case slugs.'] }]);
    const twins = await t.api.post(TENANTS, [
      { name: 'twin-a', description: 'd', comments: 'same', tenant_group: g2 },
      { name: 'twin-b', description: 'd', comments: 'same', tenant_group: g2 },
    ]);
    expect(twins.status).toBe(400);
    expect(twins.body[1].comments[0]).toMatch(/rule "comments-per-group"/);
    const ids = (await t.api.get(`${TENANTS}?name=acme&name=initech`)).body.results.map((x: Obj) => x.id);
    const bulkPatch = await t.api.patch(TENANTS, [
      { id: ids[0], description: 'fine' },
      { id: ids[1], custom_fields: { seats: 0 } },
    ]);
    expect(bulkPatch.status).toBe(400);
    expect(bulkPatch.body[1]).toEqual({
      'custom_fields.seats': ['Value is less than the minimum of 1 (rule "seats-range").'],
    });
    const stored = await t.api.get(`${TENANTS}?name=bulk-a&name=twin-a&name=twin-b&description=fine`);
    expect(stored.body.count).toBe(0);
  });

  it('enforces the rules on the edit form, CSV import and bulk edit', async () => {
    const ui = await new UiSession(t.baseUrl).login();
    const form = await ui.post('/tenancy/tenants/add/', { name: 'Form Tenant', description: 'd' });
    expect(form.status).toBe(400);
    expect(pageText(form.text)).toContain('Tenant names are lower-case slugs.');
    const added = await ui.post('/tenancy/tenants/add/', { name: 'form-tenant', description: 'd' });
    expect(added.status).toBe(303);

    const csv = await ui.post('/tenancy/tenants/import/', {
      csv_data: 'name,description\ncsv-ok,d\nCSV Bad,d\n',
    });
    expect(csv.status).toBe(400);
    expect(pageText(csv.text)).toContain('Tenant names are lower-case slugs.');
    expect((await t.api.get(`${TENANTS}?name=csv-ok`)).body.count).toBe(0);
    const csvSeats = await ui.post('/tenancy/tenants/import/', {
      csv_data: 'name,description,cf_seats\ncsv-ok,d,42\n',
    });
    expect(csvSeats.status).toBe(400);
    expect(pageText(csvSeats.text)).toContain('maximum of 10 (rule "seats-range")');
    expect(
      (await ui.post('/tenancy/tenants/import/', { csv_data: 'name,description,cf_seats\ncsv-ok,d,4\n' }))
        .status,
    ).toBe(303);

    const pk = (await t.api.get(`${TENANTS}?name=csv-ok&name=form-tenant`)).body.results.map(
      (x: Obj) => x.id,
    );
    const bulk = await ui.post('/tenancy/tenants/edit/', { pk, _apply: '1', cf_seats: '99' });
    expect(bulk.status).toBe(400);
    expect(pageText(bulk.text)).toContain('maximum of 10 (rule "seats-range")');
    expect((await t.api.get(`${TENANTS}?cf_seats=99`)).body.count).toBe(0);
    expect((await ui.post('/tenancy/tenants/edit/', { pk, _apply: '1', cf_seats: '9' })).status).toBe(303);
  });

  it('audits existing objects: log lines linked to them, results per rule, a dashboard of counts', async () => {
    const job = (await t.api.get('/api/extras/jobs/?job_class_name=data_validation.audit')).body.results[0];
    expect(job).toMatchObject({ grouping: 'Data Validation', name: 'Audit data validation rules' });
    expect((await t.api.patch(`/api/extras/jobs/${job.id}/`, { enabled: true })).status).toBe(200);
    const run = await t.api.post(`/api/extras/jobs/${job.id}/run/`, { data: {} });
    expect(run.status).toBe(201);
    const resultId = run.body.job_result.id as string;
    const result = await until('the audit', async () => {
      const r = (await t.api.get(`/api/extras/job-results/${resultId}/`)).body;
      return ['SUCCESS', 'FAILURE'].includes(r.status.value) ? r : null;
    });
    expect(result.status.value).toBe('SUCCESS');
    expect(result.result).toEqual({ rules: 4, violations: 3 });

    const logs = (await t.api.get(`/api/extras/job-logs/?job_result=${resultId}&limit=100`)).body
      .results as Obj[];
    const failures = logs.filter((l) => l.log_level.value === 'failure');
    expect(failures.map((l) => [l.grouping, l.message]).sort()).toEqual([
      ['comments-per-group', expect.stringMatching(/^acme: Only one object/)],
      ['comments-per-group', expect.stringMatching(/^hooli: Only one object/)],
      ['tenant-slug', 'Legacy Corp: Tenant names are lower-case slugs.'],
    ]);
    const legacy = (await t.api.get(`${TENANTS}?name=Legacy Corp`)).body.results[0];
    const legacyLine = failures.find((l) => l.grouping === 'tenant-slug')!;
    expect(legacyLine.log_object).toBe('Legacy Corp');
    expect(legacyLine.absolute_url).toBe(`/tenancy/tenants/${legacy.id}/`);

    const results = (await t.api.get(`${DV}audit-results/?limit=10`)).body.results as Obj[];
    const byRule = Object.fromEntries(results.map((r) => [r.rule_name, r]));
    expect(Object.keys(byRule).sort()).toEqual([
      'comments-per-group',
      'seats-range',
      'tenant-description',
      'tenant-slug',
    ]);
    expect(byRule['tenant-slug']).toMatchObject({
      rule_id: rules.slug.id,
      rule_type: 'data_validation.regularexpressionvalidationrule',
      content_type: 'tenancy.tenant',
      violations: 1,
      job_result: resultId,
      violating_objects: [
        expect.objectContaining({ id: legacy.id, display: 'Legacy Corp', value: 'Legacy Corp' }),
      ],
    });
    expect(byRule['tenant-slug'].checked).toBeGreaterThanOrEqual(6);
    expect(byRule['comments-per-group'].violations).toBe(2);
    expect(byRule['seats-range'].violations).toBe(0);
    // Results are written by the audit only.
    expect((await t.api.post(`${DV}audit-results/`, { rule_name: 'x' })).status).toBe(405);

    const ui = await new UiSession(t.baseUrl).login();
    const page = await ui.get('/plugins/data-validation/');
    expect(page.status).toBe(200);
    expect(page.text).toContain('data-rule="tenant-slug" data-violations="1"');
    expect(page.text).toContain('data-rule="comments-per-group" data-violations="2"');
    expect(page.text).toContain('data-rule="seats-range" data-violations="0"');
    expect(page.text).toContain(`href="/tenancy/tenants/${legacy.id}/"`);
    expect(pageText(page.text)).toContain('3 violations');

    // A user without the view permission on results gets no dashboard.
    await t.createUser('viewer', [], { password: 'viewer-password-1' });
    const viewer = await new UiSession(t.baseUrl).login('viewer', 'viewer-password-1');
    expect((await viewer.get('/plugins/data-validation/')).status).toBe(403);

    // Fixing the data and auditing again replaces the results.
    await t.api.patch(`${DV}regex-rules/${rules.slug.id}/`, { enabled: false });
    await t.api.patch(`${TENANTS}${legacy.id}/`, { name: 'legacy-corp' });
    await t.api.patch(`${DV}regex-rules/${rules.slug.id}/`, { enabled: true });
    const again = await t.api.post(`/api/extras/jobs/${job.id}/run/`, {
      data: { content_type: 'tenancy.tenant' },
    });
    await until('the second audit', async () => {
      const r = (await t.api.get(`/api/extras/job-results/${again.body.job_result.id}/`)).body;
      return r.status.value === 'SUCCESS' ? r : null;
    });
    const after = (await t.api.get(`${DV}audit-results/?rule_name=tenant-slug`)).body.results;
    expect(after).toEqual([expect.objectContaining({ violations: 0, job_result: again.body.job_result.id })]);
  });

  it('is listed with its contributions, and its navigation tab leads to its pages', async () => {
    const installed = (await t.api.get('/api/plugins/installed-plugins/')).body as Obj[];
    expect(installed.find((p) => p.name === 'data_validation')).toMatchObject({
      package: '@plinth/app-data-validation',
      verbose_name: 'Data Validation',
      contributions: expect.objectContaining({
        models: [
          'data_validation.regularexpressionvalidationrule',
          'data_validation.minmaxvalidationrule',
          'data_validation.requiredvalidationrule',
          'data_validation.uniquevalidationrule',
          'data_validation.ruleauditresult',
        ],
        'custom-validators': ['RuleEnforcer'],
      }),
    });
    const ui = await new UiSession(t.baseUrl).login();
    const installedPage = pageText((await ui.get('/plugins/installed-plugins/data_validation/')).text);
    for (const text of [
      'Data Validation',
      'RuleEnforcer',
      'data_validation.audit',
      'data_validation.uniquevalidationrule',
    ])
      expect(installedPage).toContain(text);
    const home = await ui.get('/');
    for (const link of [
      '/plugins/data-validation/',
      '/plugins/data-validation/regex-rules/',
      '/plugins/data-validation/unique-rules/',
      '/plugins/data-validation/audit-results/',
    ])
      expect(home.text).toContain(`href="${link}"`);
    const list = await ui.get('/plugins/data-validation/regex-rules/');
    expect(list.status).toBe(200);
    expect(pageText(list.text)).toContain('tenant-slug');
    const results = await ui.get('/plugins/data-validation/audit-results/');
    expect(results.status).toBe(200);
    expect(pageText(results.text)).toContain('comments-per-group');

    // Rules go through CSV like any model: exported, and imported with the same checks.
    const csv = await t
      .http()
      .get(`${DV}unique-rules/?format=csv`)
      .set('Authorization', `Token ${t.api.token}`);
    expect(csv.status).toBe(200);
    const [header, row] = csv.text.trim().split(/\r?\n/);
    expect(header.split(',')).toEqual(
      expect.arrayContaining([
        'name',
        'content_type',
        'field',
        'max_instances',
        'scope',
        'enabled',
        'error_message',
      ]),
    );
    expect(row).toContain('comments-per-group');
    const bad = await ui.post('/plugins/data-validation/regex-rules/import/', {
      csv_data: 'name,content_type,field,regular_expression\ncsv-rule,tenancy.tenant,description,(x\n',
    });
    expect(bad.status).toBe(400);
    expect(pageText(bad.text)).toContain('missing closing )');
    const ok = await ui.post('/plugins/data-validation/regex-rules/import/', {
      csv_data:
        'name,content_type,field,regular_expression,enabled\ncsv-rule,tenancy.tenant,description,^.,false\n',
    });
    expect(ok.status).toBe(303);
    expect((await t.api.get(`${DV}regex-rules/?name=csv-rule`)).body.results[0]).toMatchObject({
      field: 'description',
      enabled: false,
    });
  });

  it("enforces the rules on a job's writes: the run fails with the rule's message", async () => {
    const rule = await t.api.post(`${DV}min-max-rules/`, {
      name: 'widget-quantity',
      content_type: 'example.widget',
      field: 'quantity',
      max: 5,
    });
    expect(rule.status).toBe(201);
    const widget = await t.api.post('/api/plugins/example/widgets/', {
      name: 'w1',
      status: 'Active',
      quantity: 2,
    });
    expect(widget.status).toBe(201);
    expect(
      (await t.api.post('/api/plugins/example/widgets/', { name: 'w2', status: 'Active', quantity: 6 })).body,
    ).toEqual({ quantity: ['Value is more than the maximum of 5 (rule "widget-quantity").'] });
    const job = (await t.api.get('/api/extras/jobs/?job_class_name=example.bump_widget')).body.results[0];
    await t.api.patch(`/api/extras/jobs/${job.id}/`, { enabled: true });
    const run = await t.api.post(`/api/extras/jobs/${job.id}/run/`, {
      data: { widget: widget.body.id, amount: 10 },
    });
    expect(run.status).toBe(201);
    const result = await until('the bump', async () => {
      const r = (await t.api.get(`/api/extras/job-results/${run.body.job_result.id}/`)).body;
      return ['SUCCESS', 'FAILURE'].includes(r.status.value) ? r : null;
    });
    expect(result.status.value).toBe('FAILURE');
    expect(JSON.stringify(result)).toContain(
      'Value is more than the maximum of 5 (rule \\"widget-quantity\\").',
    );
    expect((await t.api.get(`/api/plugins/example/widgets/${widget.body.id}/`)).body.quantity).toBe(2);
  });
});
