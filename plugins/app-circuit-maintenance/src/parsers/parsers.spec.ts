import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NotificationParseError, parseNotification } from './index';

const fixture = (name: string) => readFileSync(join(__dirname, '../../test/fixtures', name), 'utf8');

describe('maintenance notification parsers', () => {
  it('reads a BCOP iCalendar file', async () => {
    const r = await parseNotification(fixture('bcop-maintenance.ics'), 'bcop-maintenance.ics');
    expect(r).toMatchObject({
      parser: 'ical',
      subject: 'Acme Transit fibre splice in Frankfurt',
      sender: '',
    });
    expect(r.date?.toISOString()).toBe('2030-02-01T12:00:00.000Z');
    expect(r.maintenances).toEqual([
      {
        provider: 'acmetransit.example',
        account: '137.035999173',
        maintenance_id: 'ACME-MAINT-1',
        status: 'CONFIRMED',
        start: new Date('2030-03-10T02:00:00Z'),
        end: new Date('2030-03-10T06:00:00Z'),
        sequence: 0,
        summary: 'Acme Transit fibre splice in Frankfurt',
        circuits: [
          { circuit_id: 'ACME-1001', impact: 'OUTAGE' },
          { circuit_id: 'ACME-1002', impact: 'OUTAGE' },
        ],
      },
    ]);
  });

  it('reads the SEQUENCE and status of a re-sent calendar', async () => {
    const r = await parseNotification(fixture('bcop-maintenance-resent.ics'));
    expect(r.maintenances[0]).toMatchObject({
      maintenance_id: 'ACME-MAINT-1',
      sequence: 1,
      status: 'RE-SCHEDULED',
      circuits: [{ circuit_id: 'ACME-1001', impact: 'DEGRADED' }],
    });
  });

  it('reads local times in the zone their TZID names: a VTIMEZONE of the calendar or an IANA zone', async () => {
    const base = fixture('bcop-maintenance.ics');
    const iana = base
      .replace('DTSTART:20300310T020000Z', 'DTSTART;TZID=Europe/Berlin:20300310T030000')
      .replace('DTEND:20300310T060000Z', 'DTEND;TZID=Europe/Berlin:20300310T070000');
    const [m] = (await parseNotification(iana, 'x.ics')).maintenances;
    expect([m.start.toISOString(), m.end.toISOString()]).toEqual([
      '2030-03-10T02:00:00.000Z',
      '2030-03-10T06:00:00.000Z',
    ]);
    const vtimezone = [
      'BEGIN:VTIMEZONE',
      'TZID:Provider Standard Time',
      'BEGIN:STANDARD',
      'DTSTART:19700101T000000',
      'TZOFFSETFROM:+0530',
      'TZOFFSETTO:+0530',
      'END:STANDARD',
      'END:VTIMEZONE',
    ].join('\r\n');
    const custom = base
      .replace('BEGIN:VEVENT', `${vtimezone}\r\nBEGIN:VEVENT`)
      .replace('DTSTART:20300310T020000Z', 'DTSTART;TZID="Provider Standard Time":20300310T073000')
      .replace('DTEND:20300310T060000Z', 'DTEND;TZID="Provider Standard Time":20300310T113000');
    const [c] = (await parseNotification(custom, 'x.ics')).maintenances;
    expect([c.start.toISOString(), c.end.toISOString()]).toEqual([
      '2030-03-10T02:00:00.000Z',
      '2030-03-10T06:00:00.000Z',
    ]);
    await expect(
      parseNotification(
        base.replace('DTSTART:20300310T020000Z', 'DTSTART;TZID=Mars/Olympus:20300310T030000'),
        'x.ics',
      ),
    ).rejects.toThrow('Unknown time zone "Mars/Olympus" (DTSTART).');
  });

  it('reads the calendar attached to an e-mail, with the e-mail envelope', async () => {
    const r = await parseNotification(fixture('bcop-email.eml'), 'bcop-email.eml');
    expect(r).toMatchObject({
      parser: 'ical',
      subject: '[Acme Transit] Planned maintenance ACME-MAINT-2 on ACME-1002',
      sender: 'noc@acmetransit.example',
    });
    expect(r.maintenances).toMatchObject([
      {
        maintenance_id: 'ACME-MAINT-2',
        status: 'TENTATIVE',
        circuits: [{ circuit_id: 'ACME-1002', impact: 'REDUCED-REDUNDANCY' }],
      },
    ]);
  });

  it('reads an AWS Direct Connect e-mail (quoted-printable), deriving a stable maintenance id', async () => {
    const r = await parseNotification(fixture('aws-maintenance.eml'), 'aws-maintenance.eml');
    expect(r.parser).toBe('aws');
    expect(r.sender).toBe('no-reply-aws@amazon.com');
    const [m] = r.maintenances;
    expect(m).toMatchObject({
      account: '123456789012',
      status: 'CONFIRMED',
      start: new Date('2030-03-10T04:00:00Z'),
      end: new Date('2030-03-10T08:00:00Z'),
      circuits: [
        { circuit_id: 'dxcon-fgq9cbd1', impact: 'OUTAGE' },
        { circuit_id: 'dxcon-ffx41o7s', impact: 'OUTAGE' },
      ],
    });
    expect(m.maintenance_id).toMatch(/^aws-[0-9a-f]{32}$/);
    const again = await parseNotification(fixture('aws-maintenance.eml'));
    expect(again.maintenances[0].maintenance_id).toBe(m.maintenance_id);
    const cancelled = fixture('aws-maintenance.eml').replace(
      'Planned maintenance has been scheduled',
      'Planned maintenance has been cancelled',
    );
    expect((await parseNotification(cancelled)).maintenances[0].status).toBe('CANCELLED');
  });

  it('reads a Cogent e-mail, converting its US local times (with daylight saving) to UTC', async () => {
    const r = await parseNotification(fixture('cogent-maintenance.eml'));
    expect(r.parser).toBe('cogent');
    expect(r.maintenances).toEqual([
      expect.objectContaining({
        maintenance_id: 'VN16123',
        account: 'Customer Example Inc',
        status: 'CONFIRMED',
        // 10:00pm CDT (UTC-5) on 14 March 2030, after the switch to daylight saving time.
        start: new Date('2030-03-15T03:00:00Z'),
        end: new Date('2030-03-15T10:00:00Z'),
        circuits: [
          { circuit_id: '1-300123456', impact: 'OUTAGE' },
          { circuit_id: '1-300123457', impact: 'OUTAGE' },
        ],
      }),
    ]);
  });

  it('says why a notification cannot be parsed, keeping the envelope', async () => {
    await expect(parseNotification(fixture('unparsable.eml'))).rejects.toMatchObject({
      message: expect.stringContaining('no parser for sender domain "vendor.example"'),
      envelope: { subject: 'Our spring product update', sender: 'news@vendor.example' },
    });
    await expect(parseNotification(fixture('bcop-missing-dtend.ics'))).rejects.toThrow(
      'VEVENT 1 (ACME-MAINT-9) has no valid DTEND.',
    );
    await expect(parseNotification('BEGIN:VCALENDAR\nnonsense', 'x.ics')).rejects.toBeInstanceOf(
      NotificationParseError,
    );
    await expect(parseNotification('   ')).rejects.toThrow('The notification is empty.');
    await expect(parseNotification('just some text without headers')).rejects.toBeInstanceOf(
      NotificationParseError,
    );
  });
});
