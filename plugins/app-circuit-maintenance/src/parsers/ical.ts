import ICAL from 'ical.js';
import { DateTime } from 'luxon';
import { IMPACT_VALUES, STATUS_VALUES, type Impact, type MaintenanceStatus } from '../choices';
import { NotificationParseError, type ParsedMaintenance } from './types';

/**
 * The BCOP maintenance notification format (iCalendar VEVENTs with X-MAINTNOTE-* properties,
 * https://github.com/jda/maintnote-std). Each VEVENT is a maintenance of one provider; a
 * calendar may repeat a maintenance id over several VEVENTs (one per circuit), merged here.
 */
export function parseMaintenanceCalendar(text: string): {
  maintenances: ParsedMaintenance[];
  stamp: Date | null;
} {
  let root: ICAL.Component;
  try {
    root = new ICAL.Component(ICAL.parse(text) as unknown[]);
  } catch (e) {
    throw new NotificationParseError(`Not a valid iCalendar file: ${(e as Error).message}`);
  }
  const events = root.name === 'vevent' ? [root] : root.getAllSubcomponents('vevent');
  // Local times name their zone (TZID): a VTIMEZONE of the calendar, or an IANA zone name.
  const zones = new Map(
    root
      .getAllSubcomponents('vtimezone')
      .map((z) => [String(z.getFirstPropertyValue('tzid')), new ICAL.Timezone(z)]),
  );
  if (events.length === 0) throw new NotificationParseError('The iCalendar file has no VEVENT.');
  const byId = new Map<string, ParsedMaintenance>();
  let stamp: Date | null = null;
  for (const [i, ev] of events.entries()) {
    const where = `VEVENT ${i + 1}`;
    const id = text1(ev, 'x-maintnote-maintenance-id');
    if (!id) throw new NotificationParseError(`${where} has no X-MAINTNOTE-MAINTENANCE-ID.`);
    const start = time(ev, 'dtstart', zones);
    const end = time(ev, 'dtend', zones);
    if (!start) throw new NotificationParseError(`${where} (${id}) has no valid DTSTART.`);
    if (!end) throw new NotificationParseError(`${where} (${id}) has no valid DTEND.`);
    stamp ??= time(ev, 'dtstamp', zones);
    const statusText = (text1(ev, 'x-maintnote-status') ?? '').toUpperCase();
    const status: MaintenanceStatus = STATUS_VALUES.includes(statusText as MaintenanceStatus)
      ? (statusText as MaintenanceStatus)
      : statusText === 'NO-CHANGE' || statusText === ''
        ? 'UNKNOWN'
        : invalid(`${where} (${id}) has an unknown X-MAINTNOTE-STATUS "${statusText}".`);
    const impactText = (text1(ev, 'x-maintnote-impact') ?? 'OUTAGE').toUpperCase();
    if (!IMPACT_VALUES.includes(impactText as Impact))
      invalid(`${where} (${id}) has an unknown X-MAINTNOTE-IMPACT "${impactText}".`);
    const objects = ev
      .getAllProperties('x-maintnote-object-id')
      .map((p) => String(p.getFirstValue() ?? '').trim())
      .filter(Boolean);
    const sequence = Number(ev.getFirstPropertyValue('sequence') ?? 0);
    const found: ParsedMaintenance = byId.get(id) ?? {
      provider: text1(ev, 'x-maintnote-provider'),
      account: text1(ev, 'x-maintnote-account') ?? '',
      maintenance_id: id,
      status,
      start,
      end,
      sequence: Number.isFinite(sequence) ? sequence : 0,
      summary: text1(ev, 'summary') ?? '',
      circuits: [],
    };
    for (const cid of objects)
      if (!found.circuits.some((c) => c.circuit_id === cid))
        found.circuits.push({ circuit_id: cid, impact: impactText as Impact });
    byId.set(id, found);
  }
  return { maintenances: [...byId.values()], stamp };
}

function invalid(message: string): never {
  throw new NotificationParseError(message);
}

function text1(ev: ICAL.Component, name: string): string | null {
  const v = ev.getFirstPropertyValue(name);
  const s = v === null || v === undefined ? '' : String(v as string).trim();
  return s === '' ? null : s;
}

function time(ev: ICAL.Component, name: string, zones: ReadonlyMap<string, ICAL.Timezone>): Date | null {
  const prop = ev.getFirstProperty(name);
  const v = prop?.getFirstValue();
  if (!prop || !(v instanceof ICAL.Time)) return null;
  const tzid = prop.getParameter('tzid');
  let d: Date;
  if (typeof tzid === 'string' && tzid && !v.isDate) {
    const zone = zones.get(tzid);
    if (zone) {
      v.zone = zone;
      d = v.toJSDate();
    } else {
      const local = DateTime.fromObject(
        { year: v.year, month: v.month, day: v.day, hour: v.hour, minute: v.minute, second: v.second },
        { zone: tzid },
      );
      if (!local.isValid)
        throw new NotificationParseError(`Unknown time zone "${tzid}" (${name.toUpperCase()}).`);
      d = local.toJSDate();
    }
  } else d = v.toJSDate();
  return Number.isNaN(d.getTime()) ? null : d;
}
