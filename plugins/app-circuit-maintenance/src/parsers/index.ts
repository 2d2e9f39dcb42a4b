import { simpleParser, type ParsedMail } from 'mailparser';
import { parseAwsEmail } from './aws';
import { parseCogentEmail } from './cogent';
import { parseMaintenanceCalendar } from './ical';
import {
  NotificationParseError,
  type EmailText,
  type ParsedMaintenance,
  type ParsedNotificationResult,
} from './types';

export * from './types';

/** Provider-specific e-mail parsers, chosen by the sender's domain (or a subdomain of it). */
export const EMAIL_PARSERS: readonly {
  name: string;
  domains: readonly string[];
  parse(mail: EmailText): ParsedMaintenance[];
}[] = [
  { name: 'aws', domains: ['amazon.com', 'aws.com'], parse: parseAwsEmail },
  { name: 'cogent', domains: ['cogentco.com'], parse: parseCogentEmail },
];

/** The domain of an e-mail address (`noc@mail.cogentco.com` → `mail.cogentco.com`). */
export function senderDomain(sender: string): string {
  return (sender.split('@')[1] ?? '').toLowerCase().replace(/>$/, '');
}

function isCalendar(raw: string, filename: string | undefined): boolean {
  return (filename ?? '').toLowerCase().endsWith('.ics') || /^\s*BEGIN:VCALENDAR/i.test(raw);
}

/**
 * Read a maintenance notification: a BCOP iCalendar file (`.ics`) or an e-mail (`.eml`) that
 * carries one (as an attachment or a `text/calendar` part) or comes from a provider with a
 * parser of its own. Throws NotificationParseError with the reason when it cannot.
 */
export async function parseNotification(raw: string, filename?: string): Promise<ParsedNotificationResult> {
  if (raw.trim() === '') throw new NotificationParseError('The notification is empty.');
  if (isCalendar(raw, filename)) {
    const { maintenances, stamp } = parseMaintenanceCalendar(raw);
    const subject = maintenances[0].summary || `Maintenance ${maintenances[0].maintenance_id}`;
    return { parser: 'ical', subject, sender: '', date: stamp, maintenances };
  }
  let mail: ParsedMail;
  try {
    mail = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true });
  } catch (e) {
    throw new NotificationParseError(`Not a readable e-mail: ${(e as Error).message}`);
  }
  const envelope = {
    subject: (mail.subject ?? '').trim(),
    sender: mail.from?.value[0]?.address ?? '',
    date: mail.date ?? null,
  };
  if (!mail.headers.size || (!mail.subject && !mail.from))
    throw new NotificationParseError(
      'Neither an iCalendar file nor an e-mail (no Subject or From header).',
      envelope,
    );
  const calendar = mail.attachments.find(
    (a) => a.contentType === 'text/calendar' || (a.filename ?? '').toLowerCase().endsWith('.ics'),
  );
  if (calendar) {
    try {
      const { maintenances } = parseMaintenanceCalendar(calendar.content.toString('utf8'));
      return { parser: 'ical', ...envelope, maintenances };
    } catch (e) {
      if (e instanceof NotificationParseError) throw new NotificationParseError(e.message, envelope);
      throw e;
    }
  }
  const domain = senderDomain(envelope.sender);
  const parser = EMAIL_PARSERS.find((p) => p.domains.some((d) => domain === d || domain.endsWith(`.${d}`)));
  if (!parser)
    throw new NotificationParseError(
      `No maintenance calendar attached and no parser for sender domain "${domain || 'unknown'}" (known: ${EMAIL_PARSERS.flatMap((p) => p.domains).join(', ')}).`,
      envelope,
    );
  try {
    const maintenances = parser.parse({ ...envelope, text: mail.text ?? '' });
    return { parser: parser.name, ...envelope, maintenances };
  } catch (e) {
    if (e instanceof NotificationParseError) throw new NotificationParseError(e.message, envelope);
    throw e;
  }
}

/** Provider names a provider-specific parser's notifications are matched to when no mapping applies. */
export const EMAIL_PROVIDER_NAMES: Readonly<Record<string, readonly string[]>> = {
  aws: ['AWS', 'Amazon Web Services', 'Amazon'],
  cogent: ['Cogent', 'Cogent Communications'],
};
