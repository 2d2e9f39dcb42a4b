import { createHash } from 'node:crypto';
import type { MaintenanceStatus } from '../choices';
import { NotificationParseError, type EmailText, type ParsedMaintenance } from './types';

const DATE = String.raw`[A-Z][a-z]{2}, \d{1,2} [A-Z][a-z]{2,9} \d{4} \d{2}:\d{2}:\d{2} [A-Z]{2,3}`;
const WINDOW = new RegExp(`from (${DATE}) to (${DATE})`);
const START = new RegExp(`^Start Time: (${DATE})`, 'im');
const END = new RegExp(`^End Time: (${DATE})`, 'im');
/** AWS Direct Connect connection ids: `dxcon-fgq9cbd1`, `dxlag-ffrz71kw`, ... */
const CONNECTION = /^\s*([a-z]{5}-[a-z0-9]{8})\s*$/;

/**
 * AWS Direct Connect maintenance e-mails (plain text; circuit-maintenance-parser's AWS
 * parser). They carry no maintenance id: it is derived from the connections and the window,
 * so a re-sent (or cancelled) notification of the same window updates the same maintenance.
 */
export function parseAwsEmail(mail: EmailText): ParsedMaintenance[] {
  const account =
    /\[AWS Account ?I?D?: ?(\d+)\]/i.exec(mail.subject)?.[1] ??
    /^Account ?I?D?: ?(\d+)/im.exec(mail.text)?.[1];
  const window = WINDOW.exec(mail.text.replace(/\s+/g, ' '));
  const startText = window?.[1] ?? START.exec(mail.text)?.[1];
  const endText = window?.[2] ?? END.exec(mail.text)?.[1];
  if (!startText || !endText)
    throw new NotificationParseError(
      'AWS notification: no maintenance window ("from <date> to <date>") found.',
    );
  const start = new Date(startText);
  const end = new Date(endText);
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()))
    throw new NotificationParseError(`AWS notification: unreadable window "${startText}" to "${endText}".`);
  const circuits = mail.text
    .split(/\r?\n/)
    .map((line) => CONNECTION.exec(line)?.[1])
    .filter((c): c is string => !!c);
  if (circuits.length === 0)
    throw new NotificationParseError('AWS notification: no Direct Connect connection listed.');
  const lower = mail.text.toLowerCase();
  const status: MaintenanceStatus = lower.includes('has been cancelled') ? 'CANCELLED' : 'CONFIRMED';
  const summary =
    mail.text.split(/\r?\n/).find((l) => l.toLowerCase().includes('planned maintenance')) ?? mail.subject;
  const id = createHash('md5')
    .update(circuits.join('') + String(start.getTime() / 1000) + String(end.getTime() / 1000))
    .digest('hex');
  return [
    {
      provider: null,
      account: account ?? '',
      maintenance_id: `aws-${id}`,
      status,
      start,
      end,
      sequence: 0,
      summary: summary.trim(),
      circuits: circuits.map((circuit_id) => ({ circuit_id, impact: 'OUTAGE' })),
    },
  ];
}
