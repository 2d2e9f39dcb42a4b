import { DateTime } from 'luxon';
import type { MaintenanceStatus } from '../choices';
import { NotificationParseError, type EmailText, type ParsedMaintenance } from './types';

/** The time zone abbreviations Cogent writes, as IANA zones (daylight saving applied by date). */
const ZONES: Readonly<Record<string, string>> = {
  ET: 'America/New_York',
  EST: 'America/New_York',
  EDT: 'America/New_York',
  CT: 'America/Chicago',
  CST: 'America/Chicago',
  CDT: 'America/Chicago',
  MT: 'America/Denver',
  MST: 'America/Denver',
  MDT: 'America/Denver',
  PT: 'America/Los_Angeles',
  PST: 'America/Los_Angeles',
  PDT: 'America/Los_Angeles',
  GMT: 'UTC',
  UTC: 'UTC',
};

const TIME =
  /^(Start|End) time:\s*(\d{1,2}:\d{2}\s*[ap]m)\s+\(?([A-Z]{2,3})\)?\s+(\d{1,2}\/\d{1,2}\/\d{4})/gim;

/**
 * Cogent circuit maintenance e-mails (plain text; circuit-maintenance-parser's Cogent parser):
 * `Start time: 10:00pm CT 11/19/2022`, `Work order number: VN16123`,
 * `Order ID(s) impacted: 1-300123456, 1-300123457`. The status comes from the subject.
 */
export function parseCogentEmail(mail: EmailText): ParsedMaintenance[] {
  const times: Partial<Record<'start' | 'end', Date>> = {};
  for (const m of mail.text.matchAll(TIME)) {
    const zone = ZONES[m[3].toUpperCase()];
    if (!zone) throw new NotificationParseError(`Cogent notification: unknown time zone "${m[3]}".`);
    const t = DateTime.fromFormat(`${m[2].replace(/\s+/g, '').toUpperCase()} ${m[4]}`, 'h:mma M/d/yyyy', {
      zone,
    });
    if (!t.isValid)
      throw new NotificationParseError(`Cogent notification: unreadable time "${m[0].trim()}".`);
    times[m[1].toLowerCase() === 'start' ? 'start' : 'end'] = t.toJSDate();
  }
  if (!times.start || !times.end)
    throw new NotificationParseError('Cogent notification: no "Start time:"/"End time:" lines found.');
  const id = /^Work order number:\s*(\S+)/im.exec(mail.text)?.[1];
  if (!id) throw new NotificationParseError('Cogent notification: no "Work order number:" found.');
  const orders = /^Order ID\(s\) impacted:\s*(.+)$/im.exec(mail.text)?.[1] ?? '';
  const circuits = orders
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  if (circuits.length === 0)
    throw new NotificationParseError('Cogent notification: no "Order ID(s) impacted:" found.');
  const account = /^Dear (.+),/m.exec(mail.text)?.[1] ?? '';
  const summary =
    /^(Cogent customers receiving service .+)$/m.exec(mail.text)?.[1] ??
    /^(During this maintenance.+)$/m.exec(mail.text)?.[1];
  return [
    {
      provider: null,
      account,
      maintenance_id: id,
      status: statusOf(mail.subject),
      start: times.start,
      end: times.end,
      sequence: 0,
      summary: (summary ?? mail.subject).trim(),
      circuits: circuits.map((circuit_id) => ({ circuit_id, impact: 'OUTAGE' })),
    },
  ];
}

function statusOf(subject: string): MaintenanceStatus {
  const s = subject.toLowerCase();
  if (s.startsWith('correction') || s.includes('rescheduled')) return 'RE-SCHEDULED';
  if (s.includes('cancellation') || s.includes('cancelled')) return 'CANCELLED';
  if (s.includes('completed')) return 'COMPLETED';
  if (s.includes('planned') || s.includes('provider') || s.includes('emergency')) return 'CONFIRMED';
  return 'UNKNOWN';
}
