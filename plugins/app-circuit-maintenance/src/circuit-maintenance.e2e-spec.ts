import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { UiSession, createTestApp, onDatabase, until, type TestApp } from '@plinth/plugin-sdk/testing';
import { createCircuits, createSoon, fixture } from './e2e-fixtures';

const BASE = '/api/plugins/circuit-maintenance/';
const MAINTENANCE = `${BASE}maintenance/`;
const IMPACTS = `${BASE}circuitimpact/`;
const RAW = `${BASE}rawnotification/`;
const PARSED = `${BASE}parsednotification/`;
const UPLOAD = `${BASE}upload/`;

describe(onDatabase('circuit maintenance app'), () => {
  let t: TestApp;
  let folder: string;
  const circuits: Record<string, string> = {};

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'plinth-cm-'));
    mkdirSync(join(folder, 'inbox'));
    writeFileSync(join(folder, 'inbox', 'bcop-email.eml'), fixture('bcop-email.eml'));
    writeFileSync(join(folder, 'inbox', 'newsletter.eml'), fixture('unparsable.eml'));
    writeFileSync(join(folder, 'inbox', 'notes.txt'), 'not a notification');
    writeFileSync(join(folder, 'secret.eml'), fixture('cogent-maintenance.eml'));
    t = await createTestApp({
      plugins: ['@plinth/app-circuit-maintenance'],
      pluginsConfig: {
        circuit_maintenance: {
          provider_map: { 'acmetransit.example': 'Acme Transit' },
          notifications_folder: folder,
        },
      },
      worker: true,
    });
    Object.assign(circuits, await createCircuits(t));
  });
  afterAll(async () => {
    await t?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('serves its models under /api/plugins/circuit-maintenance/ with Nautobot names', async () => {
    const root = await t.api.get(BASE);
    expect(Object.keys(root.body).sort()).toEqual([
      'circuitimpact',
      'maintenance',
      'parsednotification',
      'rawnotification',
    ]);
  });

  it('lists its contributions on the installed-plugins page and API', async () => {
    const installed = (await t.api.get('/api/plugins/installed-plugins/')).body as Record<string, unknown>[];
    expect(installed.find((p) => p.name === 'circuit_maintenance')).toMatchObject({
      package: '@plinth/app-circuit-maintenance',
      verbose_name: 'Circuit Maintenance',
      settings_keys: ['notifications_folder', 'provider_map', 'upcoming_days'],
      routes: expect.arrayContaining([
        'POST /api/plugins/circuit-maintenance/upload',
        'GET /plugins/circuit-maintenance/upload',
        'POST /plugins/circuit-maintenance/upload',
      ]),
      contributions: expect.objectContaining({
        models: [
          'circuit_maintenance.circuitmaintenance',
          'circuit_maintenance.circuitimpact',
          'circuit_maintenance.rawnotification',
          'circuit_maintenance.parsednotification',
        ],
        jobs: ['circuit_maintenance.ingest_folder'],
      }),
    });
  });

  it('validates maintenances and impacts: 400s naming the field, nothing half-written', async () => {
    const bad = await t.api.post(MAINTENANCE, {
      name: 'BAD-1',
      start_time: '2030-05-01T10:00:00Z',
      end_time: '2030-05-01T09:00:00Z',
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ end_time: ['End time must be after the start time.'] });
    const badStatus = await t.api.post(MAINTENANCE, {
      name: 'BAD-1',
      start_time: '2030-05-01T10:00:00Z',
      end_time: '2030-05-01T12:00:00Z',
      status: 'SOON',
    });
    expect(badStatus.body).toEqual({ status: ['"SOON" is not a valid choice.'] });
    const badDate = await t.api.post(MAINTENANCE, {
      name: 'BAD-1',
      start_time: 'tomorrow',
      end_time: 'later',
    });
    expect(badDate.status).toBe(400);
    expect(Object.keys(badDate.body).sort()).toEqual(['end_time', 'start_time']);
    // A bulk create is atomic: one bad item, nothing kept.
    const bulk = await t.api.post(MAINTENANCE, [
      { name: 'BULK-1', start_time: '2030-05-01T10:00:00Z', end_time: '2030-05-01T12:00:00Z' },
      { name: 'BULK-2', start_time: '2030-05-01T10:00:00Z', end_time: '2030-05-01T08:00:00Z' },
    ]);
    expect(bulk.status).toBe(400);
    expect((await t.api.get(`${MAINTENANCE}?name=BULK-1`)).body.count).toBe(0);

    const ok = await t.api.post(MAINTENANCE, {
      name: 'MANUAL-1',
      provider: 'Acme Transit',
      start_time: '2030-03-10T05:00:00Z',
      end_time: '2030-03-10T09:00:00Z',
      status: 'CONFIRMED',
      description: 'Entered by hand',
    });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({
      object_type: 'circuit_maintenance.circuitmaintenance',
      name: 'MANUAL-1',
      status: { value: 'CONFIRMED', label: 'Confirmed' },
      ack: false,
      sequence: 0,
      overlaps: [],
    });
    const impact = await t.api.post(IMPACTS, {
      maintenance: ok.body.id,
      circuit: circuits['ACME-1001'],
      impact: 'DEGRADED',
    });
    expect(impact.status).toBe(201);
    expect(impact.body.display).toBe('ACME-1001 (DEGRADED)');
    const twice = await t.api.post(IMPACTS, {
      maintenance: ok.body.id,
      circuit: circuits['ACME-1001'],
      impact: 'OUTAGE',
    });
    expect(twice.status).toBe(400);
    expect(Object.keys(twice.body)).toEqual([expect.stringMatching(/circuit|maintenance|non_field_errors/)]);
    const badImpact = await t.api.post(IMPACTS, {
      maintenance: ok.body.id,
      circuit: circuits['ACME-1002'],
      impact: 'BROKEN',
    });
    expect(badImpact.body).toEqual({ impact: ['"BROKEN" is not a valid choice.'] });
    const noCircuit = await t.api.post(IMPACTS, { maintenance: ok.body.id, impact: 'OUTAGE' });
    expect(noCircuit.status).toBe(400);
    expect(noCircuit.body.circuit).toBeDefined();
    const patchBad = await t.api.patch(`${MAINTENANCE}${ok.body.id}/`, { end_time: '2030-03-10T04:00:00Z' });
    expect(patchBad.body).toEqual({ end_time: ['End time must be after the start time.'] });

    // Change log, CSV, GraphQL and permissions come with defineModel.
    const changes = await t.api.get(`/api/extras/object-changes/?changed_object_id=${ok.body.id}`);
    expect(changes.body.results[0]).toMatchObject({ action: { value: 'create' }, object_repr: 'MANUAL-1' });
    const csv = await request(t.baseUrl)
      .get(`${MAINTENANCE}?format=csv&name=MANUAL-1`)
      .set('Authorization', `Token ${t.api.token}`);
    expect(csv.status).toBe(200);
    expect(csv.text.split('\n')[0]).toContain('start_time');
    expect(csv.text).toContain('MANUAL-1');
    const gql = await t.api.post('/api/graphql/', {
      query: '{ circuit_maintenances(name: ["MANUAL-1"]) { name description circuit_impacts { impact } } }',
    });
    expect(gql.body.errors).toBeUndefined();
    expect(gql.body.data.circuit_maintenances).toEqual([
      { name: 'MANUAL-1', description: 'Entered by hand', circuit_impacts: [{ impact: 'DEGRADED' }] },
    ]);
    const { api } = await t.createUser('viewer', [
      { actions: ['view'], object_types: ['circuit_maintenance.circuitmaintenance'] },
    ]);
    expect((await api.get(MAINTENANCE)).body.count).toBe(1);
    expect((await api.get(IMPACTS)).status).toBe(403);
    expect((await api.post(UPLOAD, { raw: fixture('bcop-maintenance.ics'), filename: 'x.ics' })).status).toBe(
      403,
    );
  });

  it('ingests a BCOP iCalendar file over REST (JSON), linking raw and parsed notifications', async () => {
    const res = await t.api.post(UPLOAD, {
      raw: fixture('bcop-maintenance.ics'),
      filename: 'bcop-maintenance.ics',
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual([
      {
        raw_notification: expect.any(String),
        parsed: true,
        reason: '',
        parser: 'ical',
        maintenances: [
          { id: expect.any(String), name: 'ACME-MAINT-1', action: 'created', unknown_circuits: [] },
        ],
      },
    ]);
    const m = (await t.api.get(`${MAINTENANCE}${res.body[0].maintenances[0].id}/?depth=1`)).body;
    expect(m).toMatchObject({
      name: 'ACME-MAINT-1',
      start_time: '2030-03-10T02:00:00.000Z',
      end_time: '2030-03-10T06:00:00.000Z',
      status: { value: 'CONFIRMED' },
      sequence: 0,
      description: 'Acme Transit fibre splice in Frankfurt',
      provider: expect.objectContaining({ display: 'Acme Transit' }),
    });
    const impacts = (await t.api.get(`${IMPACTS}?maintenance=${m.id}&depth=1`)).body.results;
    expect(
      impacts
        .map((i: { circuit: { display: string }; impact: { value: string } }) => [
          i.circuit.display,
          i.impact.value,
        ])
        .sort(),
    ).toEqual([
      ['ACME-1001', 'OUTAGE'],
      ['ACME-1002', 'OUTAGE'],
    ]);
    const raw = (await t.api.get(`${RAW}${res.body[0].raw_notification}/`)).body;
    expect(raw).toMatchObject({
      subject: 'Acme Transit fibre splice in Frankfurt',
      source: 'bcop-maintenance.ics',
      parsed: true,
      parse_error: '',
      // Stored as the write path stores text: without surrounding whitespace.
      raw: fixture('bcop-maintenance.ics').trim(),
    });
    const parsed = (await t.api.get(`${PARSED}?raw_notification=${raw.id}`)).body.results;
    expect(parsed).toHaveLength(1);
    expect(parsed[0]).toMatchObject({
      maintenance: { id: m.id },
      json: { action: 'created', maintenance_id: 'ACME-MAINT-1' },
    });
  });

  it('ingests provider e-mails uploaded as files (multipart), matching providers and circuits', async () => {
    const res = await request(t.baseUrl)
      .post(UPLOAD)
      .set('Authorization', `Token ${t.api.token}`)
      .attach('file', Buffer.from(fixture('aws-maintenance.eml')), 'aws-maintenance.eml')
      .attach('file', Buffer.from(fixture('cogent-maintenance.eml')), 'cogent-maintenance.eml');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject([
      {
        parsed: true,
        parser: 'aws',
        maintenances: [{ name: expect.stringMatching(/^aws-/), action: 'created', unknown_circuits: [] }],
      },
      {
        parsed: true,
        parser: 'cogent',
        maintenances: [{ name: 'VN16123', action: 'created', unknown_circuits: ['1-300123457'] }],
      },
    ]);
    const cogent = (await t.api.get(`${MAINTENANCE}?name=VN16123&depth=1`)).body.results[0];
    expect(cogent).toMatchObject({
      provider: expect.objectContaining({ display: 'Cogent' }),
      start_time: '2030-03-15T03:00:00.000Z',
    });
    expect((await t.api.get(`${IMPACTS}?maintenance=${cogent.id}`)).body.count).toBe(1);
    const raw = (await t.api.get(`${RAW}?source=aws-maintenance.eml&depth=1`)).body.results[0];
    expect(raw).toMatchObject({
      sender: 'no-reply-aws@amazon.com',
      provider: expect.objectContaining({ display: 'AWS' }),
    });
  });

  it('warns about overlaps: the same circuit, and circuits sharing a location', async () => {
    const acme = (await t.api.get(`${MAINTENANCE}?name=ACME-MAINT-1`)).body.results[0];
    const aws = (await t.api.get(`${MAINTENANCE}?name__isw=aws-`)).body.results[0];
    expect(acme.overlaps).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'circuit',
          circuit: 'ACME-1001',
          other: expect.objectContaining({ name: 'MANUAL-1' }),
        }),
        expect.objectContaining({
          kind: 'location',
          circuit: 'ACME-1001',
          other_circuit: 'dxcon-fgq9cbd1',
          location: 'FRA1',
          other: expect.objectContaining({ id: aws.id }),
        }),
        expect.objectContaining({
          kind: 'location',
          circuit: 'ACME-1002',
          other_circuit: 'dxcon-ffx41o7s',
          location: 'AMS1',
        }),
      ]),
    );
    // Cogent's window (15 March) overlaps nothing; a cancelled maintenance warns nobody.
    expect((await t.api.get(`${MAINTENANCE}?name=VN16123`)).body.results[0].overlaps).toEqual([]);
    const manual = (await t.api.get(`${MAINTENANCE}?name=MANUAL-1`)).body.results[0];
    await t.api.patch(`${MAINTENANCE}${manual.id}/`, { status: 'CANCELLED' });
    const after = (await t.api.get(`${MAINTENANCE}${acme.id}/`)).body.overlaps as { kind: string }[];
    expect(after.filter((w) => w.kind === 'circuit')).toEqual([]);
    await t.api.patch(`${MAINTENANCE}${manual.id}/`, { status: 'CONFIRMED' });
    // Overlaps name only maintenances the reader may view.
    const { api: narrow } = await t.createUser('manual-only', [
      {
        actions: ['view'],
        object_types: ['circuit_maintenance.circuitmaintenance'],
        constraints: { name: 'MANUAL-1' },
      },
    ]);
    const seen = (await narrow.get(`${MAINTENANCE}?name=MANUAL-1`)).body.results[0];
    expect(seen.overlaps).toEqual([]);
    const full = (await t.api.get(`${MAINTENANCE}?name=MANUAL-1`)).body.results[0];
    expect(full.overlaps.length).toBeGreaterThan(0);
    // The `circuit` filter: maintenances affecting a circuit.
    const onCircuit = (await t.api.get(`${MAINTENANCE}?circuit=${circuits['ACME-1001']}`)).body.results;
    expect(onCircuit.map((x: { name: string }) => x.name).sort()).toEqual(['ACME-MAINT-1', 'MANUAL-1']);
  });

  it('updates a maintenance from a re-sent notification with a higher SEQUENCE, ignores an older one', async () => {
    const res = await t.api.post(UPLOAD, {
      raw: fixture('bcop-maintenance-resent.ics'),
      filename: 'resent.ics',
    });
    expect(res.body[0].maintenances).toEqual([
      { id: expect.any(String), name: 'ACME-MAINT-1', action: 'updated', unknown_circuits: [] },
    ]);
    const list = (await t.api.get(`${MAINTENANCE}?name=ACME-MAINT-1`)).body;
    expect(list.count).toBe(1);
    expect(list.results[0]).toMatchObject({
      start_time: '2030-03-11T02:00:00.000Z',
      end_time: '2030-03-11T07:00:00.000Z',
      status: { value: 'RE-SCHEDULED' },
      sequence: 1,
    });
    const impacts = (await t.api.get(`${IMPACTS}?maintenance=${list.results[0].id}&depth=1`)).body.results;
    expect(
      impacts.map((i: { circuit: { display: string }; impact: { value: string } }) => [
        i.circuit.display,
        i.impact.value,
      ]),
    ).toEqual([['ACME-1001', 'DEGRADED']]);
    // Moved a day later: no longer overlapping anything.
    expect(list.results[0].overlaps).toEqual([]);

    const old = await t.api.post(UPLOAD, {
      raw: fixture('bcop-maintenance.ics'),
      filename: 'bcop-maintenance.ics',
    });
    expect(old.body[0].maintenances[0].action).toBe('ignored');
    const still = (await t.api.get(`${MAINTENANCE}${list.results[0].id}/`)).body;
    expect(still).toMatchObject({ sequence: 1, start_time: '2030-03-11T02:00:00.000Z' });
    expect((await t.api.get(`${PARSED}?maintenance=${still.id}`)).body.count).toBe(3);
  });

  it('keeps unparsable notifications with the reason', async () => {
    const res = await t.api.post(UPLOAD, [
      { raw: fixture('unparsable.eml'), filename: 'unparsable.eml' },
      { raw: fixture('bcop-missing-dtend.ics'), filename: 'broken.ics' },
      {
        raw: fixture('bcop-maintenance.ics').replace(
          'X-MAINTNOTE-PROVIDER:acmetransit.example',
          'X-MAINTNOTE-PROVIDER:unknown-carrier.example',
        ),
        filename: 'unknown.ics',
      },
    ]);
    expect(res.status).toBe(201);
    expect(res.body.map((r: { parsed: boolean; reason: string }) => [r.parsed, r.reason])).toEqual([
      [false, expect.stringContaining('no parser for sender domain "vendor.example"')],
      [false, 'VEVENT 1 (ACME-MAINT-9) has no valid DTEND.'],
      [
        false,
        expect.stringContaining('No provider matches the notification (tried "unknown-carrier.example")'),
      ],
    ]);
    const kept = (await t.api.get(`${RAW}?parsed=false`)).body.results;
    expect(kept.map((r: { subject: string }) => r.subject).sort()).toEqual([
      'Acme Transit fibre splice in Frankfurt',
      'Our spring product update',
      'broken.ics',
    ]);
    expect(kept.find((r: { subject: string }) => r.subject === 'Our spring product update')).toMatchObject({
      sender: 'news@vendor.example',
      raw: fixture('unparsable.eml').trim(),
    });
    expect((await t.api.get(`${MAINTENANCE}?name=ACME-MAINT-9`)).body.count).toBe(0);

    const missing = await t.api.post(UPLOAD, { filename: 'x.eml' });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ raw: [expect.stringContaining('This field is required')] });
    const wrongType = await t.api.post(UPLOAD, { raw: 'x', filename: 3 });
    expect(wrongType.body).toEqual({ filename: ['Must be a string.'] });
  });

  it('ingests every notification file of a folder with a job, skipping files it has seen', async () => {
    const job = (await t.api.get('/api/extras/jobs/?job_class_name=circuit_maintenance.ingest_folder')).body
      .results[0];
    expect(job).toMatchObject({ name: 'Ingest notification folder', grouping: 'Circuit Maintenance' });
    expect((await t.api.patch(`/api/extras/jobs/${job.id}/`, { enabled: true })).status).toBe(200);
    const run = async (data: Record<string, unknown>) => {
      const r = await t.api.post(`/api/extras/jobs/${job.id}/run/`, { data });
      expect(r.status).toBe(201);
      const id = r.body.job_result?.id ?? r.body.id;
      const result = await until(`job result ${id}`, async () => {
        const x = (await t.api.get(`/api/extras/job-results/${id}/`)).body;
        return ['SUCCESS', 'FAILURE'].includes(x.status.value) ? x : null;
      });
      const logs = (await t.api.get(`/api/extras/job-logs/?job_result=${id}&limit=100`)).body.results as {
        message: string;
      }[];
      return { result, logs: logs.map((l) => l.message) };
    };
    const first = await run({ folder: 'inbox' });
    expect(first.result.status.value).toBe('SUCCESS');
    expect(first.result.result).toEqual({ ingested: 2, parsed: 1, unparsed: 1, skipped: 0 });
    expect(first.logs).toEqual(
      expect.arrayContaining([
        'bcop-email.eml: ACME-MAINT-2 created.',
        expect.stringMatching(/^newsletter\.eml: not parsed: No maintenance calendar attached/),
      ]),
    );
    const m2 = (await t.api.get(`${MAINTENANCE}?name=ACME-MAINT-2`)).body.results[0];
    expect(m2).toMatchObject({ status: { value: 'TENTATIVE' } });
    const again = await run({ folder: 'inbox' });
    expect(again.result.result).toEqual({ ingested: 0, parsed: 0, unparsed: 0, skipped: 2 });
    // The configured folder itself (its files only), and no way out of it.
    const top = await run({});
    expect(top.result.result).toMatchObject({ ingested: 1, parsed: 1 });
    for (const folderName of ['../', 'inbox/../..', '/etc']) {
      const escape = await run({ folder: folderName });
      expect(escape.result.status.value).toBe('FAILURE');
      expect(JSON.stringify(escape.result.result ?? escape.logs)).toMatch(
        /outside the notifications folder|must be relative/,
      );
    }
  });

  it('shows the upload page, ingests from it, and shows panels on the home, circuit and maintenance pages', async () => {
    const ui = await new UiSession(t.baseUrl).login();
    const form = await ui.agent.get('/plugins/circuit-maintenance/upload/');
    expect(form.status).toBe(200);
    expect(form.text).toContain('data-csv-into="cm_raw"');
    const posted = await ui.agent
      .post('/plugins/circuit-maintenance/upload/')
      .type('form')
      .send({ csrfmiddlewaretoken: ui.csrf, raw: fixture('unparsable.eml'), filename: 'again.eml' });
    expect(posted.status).toBe(200);
    expect(posted.text).toContain('Not parsed: No maintenance calendar attached');
    const empty = await ui.agent
      .post('/plugins/circuit-maintenance/upload/')
      .type('form')
      .send({ csrfmiddlewaretoken: ui.csrf, raw: '', filename: '' });
    expect(empty.status).toBe(400);
    const noCsrf = await ui.agent
      .post('/plugins/circuit-maintenance/upload/')
      .type('form')
      .send({ raw: 'x' });
    expect(noCsrf.status).toBe(403);

    // Two maintenances tomorrow on the same circuit: upcoming, and overlapping.
    await createSoon(t, circuits['ACME-1001']);
    // The generated pages: list, edit form, CSV import (all rows or none).
    expect((await ui.agent.get('/plugins/circuit-maintenance/maintenance/')).text).toContain('MANUAL-1');
    expect((await ui.agent.get('/plugins/circuit-maintenance/maintenance/add/')).text).toContain(
      'name="end_time"',
    );
    const imported = await ui.agent
      .post('/plugins/circuit-maintenance/maintenance/import/')
      .type('form')
      .send({
        csrfmiddlewaretoken: ui.csrf,
        csv_data:
          'name,provider,start_time,end_time,status\nCSV-1,Cogent,2030-06-01T01:00:00Z,2030-06-01T03:00:00Z,CONFIRMED\nCSV-2,Cogent,2030-06-01T01:00:00Z,2030-06-01T00:00:00Z,CONFIRMED',
      });
    expect(imported.text).toContain('End time must be after the start time.');
    expect((await t.api.get(`${MAINTENANCE}?name__isw=CSV-`)).body.count).toBe(0);

    const home = await ui.agent.get('/');
    expect(home.text).toContain('Upcoming circuit maintenance');
    expect(home.text).toContain('SOON-1');
    expect(home.text).toContain('cm-overlap-badge');
    expect(home.text).not.toContain('MANUAL-1'); // in 2030: beyond the 30 days the panel shows
    const circuit = await ui.agent.get(`/circuits/circuits/${circuits['ACME-1001']}/`);
    expect(circuit.text).toContain('Upcoming maintenance');
    expect(circuit.text).toContain('SOON-2');
    const provider = (await t.api.get('/api/circuits/providers/?name=Acme%20Transit')).body.results[0];
    expect((await ui.agent.get(`/circuits/providers/${provider.id}/`)).text).toContain('SOON-1');
    const other = await ui.agent.get(`/circuits/circuits/${circuits['1-300123456']}/`);
    expect(other.text).toContain('No maintenance for this circuit in the next 30 days.');
    const manual = (await t.api.get(`${MAINTENANCE}?name=MANUAL-1`)).body.results[0];
    const page = await ui.agent.get(`/plugins/circuit-maintenance/maintenance/${manual.id}/`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Circuit impacts');
    expect(page.text).toContain('cm-overlap-warning');
  });
});
