import { CoreModels, type ObjectsApi } from '@plinth/plugin-sdk';
import type { Impact } from '../choices';
import { impactModel, maintenanceModel, parsedNotificationModel, rawNotificationModel } from '../models';
import {
  NotificationParseError,
  parseNotification,
  type ParsedMaintenance,
  type ParsedNotificationResult,
} from '../parsers';
import type { MaintenanceSettings } from '../settings';
import { matchProvider } from './provider-match';

/** A notification to ingest: its text and where it came from. */
export interface NotificationInput {
  raw: string;
  /** File name (`.ics` files are read as iCalendar whatever their content starts with). */
  filename?: string;
  /** Where it came from, kept as the raw notification's source (default: the file name). */
  source?: string;
}

export interface IngestedMaintenance {
  id: string;
  name: string;
  action: 'created' | 'updated' | 'ignored';
  /** Circuit ids the notification names that match no circuit of the provider. */
  unknown_circuits: string[];
}

export interface IngestResult {
  raw_notification: string;
  parsed: boolean;
  /** Why it was not parsed or applied. */
  reason: string;
  parser: string | null;
  maintenances: IngestedMaintenance[];
}

/** Planned writes of one maintenance, checked before anything is written. */
interface Plan {
  m: ParsedMaintenance;
  impacts: Map<string, Impact>;
  unknown: string[];
}

/**
 * Ingest one notification through the write path (as the caller's `objects`: the user's
 * permissions, the change log). Everything is checked before the first write, so a notification
 * that cannot be applied leaves only its raw notification, kept with the reason. Run it inside a
 * transaction so one notification is all-or-nothing.
 */
export async function ingestNotification(
  objects: ObjectsApi,
  settings: MaintenanceSettings,
  input: NotificationInput,
): Promise<IngestResult> {
  const source = (input.source ?? input.filename ?? '').slice(0, 200);
  const fallbackSubject = input.filename ?? 'Maintenance notification';
  let parsed: ParsedNotificationResult;
  try {
    parsed = await parseNotification(input.raw, input.filename);
  } catch (e) {
    if (!(e instanceof NotificationParseError)) throw e;
    return keepUnparsed(objects, input, source, e.envelope, e.message, fallbackSubject);
  }
  const envelope = { subject: parsed.subject, sender: parsed.sender, date: parsed.date };
  const plans: Plan[] = [];
  let providerId: string | null = null;
  for (const m of parsed.maintenances) {
    if (m.end.getTime() <= m.start.getTime())
      return keepUnparsed(
        objects,
        input,
        source,
        envelope,
        `Maintenance ${m.maintenance_id} ends before it starts.`,
        fallbackSubject,
        parsed.parser,
      );
    if (m.maintenance_id.length > 100)
      return keepUnparsed(
        objects,
        input,
        source,
        envelope,
        `Maintenance id "${m.maintenance_id.slice(0, 40)}…" is longer than 100 characters.`,
        fallbackSubject,
        parsed.parser,
      );
    const match = await matchProvider(objects, settings, {
      provider: m.provider,
      sender: parsed.sender,
      parser: parsed.parser,
    });
    if (!('provider' in match))
      return keepUnparsed(
        objects,
        input,
        source,
        envelope,
        `No provider matches the notification (tried ${match.tried.map((t) => `"${t}"`).join(', ') || 'nothing: no provider or sender'}); add a provider_map entry to the circuit_maintenance settings.`,
        fallbackSubject,
        parsed.parser,
      );
    providerId = match.provider.id;
    const impacts = new Map<string, Impact>();
    const unknown: string[] = [];
    for (const c of m.circuits) {
      const [circuit] = await objects.find(
        CoreModels.circuit,
        { provider: match.provider.id, cid: c.circuit_id },
        { limit: 1 },
      );
      if (circuit) impacts.set(circuit.id, c.impact);
      else unknown.push(c.circuit_id);
    }
    plans.push({ m: { ...m, provider: match.provider.id }, impacts, unknown });
  }

  const [raw] = await objects.create(rawNotificationModel, [
    {
      subject: subjectOf(envelope.subject, fallbackSubject),
      sender: envelope.sender.slice(0, 200),
      source,
      provider: providerId,
      date: envelope.date ?? new Date(),
      raw: input.raw,
      parsed: true,
      parse_error: '',
    },
  ]);
  const done: IngestedMaintenance[] = [];
  for (const plan of plans) done.push(await applyMaintenance(objects, plan, raw.id, parsed.parser));
  return { raw_notification: raw.id, parsed: true, reason: '', parser: parsed.parser, maintenances: done };
}

async function applyMaintenance(
  objects: ObjectsApi,
  plan: Plan,
  rawId: string,
  parser: string,
): Promise<IngestedMaintenance> {
  const { m } = plan;
  const [existing] = await objects.find(maintenanceModel, { name: m.maintenance_id }, { limit: 1 });
  const fields = {
    provider: m.provider,
    start_time: m.start,
    end_time: m.end,
    description: m.summary,
    status: m.status,
    sequence: m.sequence,
  };
  let id: string;
  let action: IngestedMaintenance['action'];
  if (existing && existing.sequence > m.sequence) {
    // A re-sent older revision: keep what the newer one said.
    id = existing.id;
    action = 'ignored';
  } else if (existing) {
    id = existing.id;
    action = 'updated';
    await objects.update(maintenanceModel, [{ id, ...fields }]);
    const stored = await objects.find(impactModel, { maintenance: id });
    const gone = stored.filter((s) => !plan.impacts.has(s.circuit as unknown as string));
    if (gone.length)
      await objects.delete(
        impactModel,
        gone.map((s) => s.id),
      );
    const changes = stored
      .filter((s) => plan.impacts.has(s.circuit as unknown as string))
      .filter((s) => plan.impacts.get(s.circuit as unknown as string) !== s.impact)
      .map((s) => ({ id: s.id, impact: plan.impacts.get(s.circuit as unknown as string) }));
    if (changes.length) await objects.update(impactModel, changes);
    const have = new Set(stored.map((s) => s.circuit as unknown as string));
    const added = [...plan.impacts].filter(([c]) => !have.has(c));
    if (added.length)
      await objects.create(
        impactModel,
        added.map(([circuit, impact]) => ({ maintenance: id, circuit, impact })),
      );
  } else {
    action = 'created';
    const [created] = await objects.create(maintenanceModel, [
      { name: m.maintenance_id, ack: false, ...fields },
    ]);
    id = created.id;
    if (plan.impacts.size)
      await objects.create(
        impactModel,
        [...plan.impacts].map(([circuit, impact]) => ({ maintenance: id, circuit, impact })),
      );
  }
  await objects.create(parsedNotificationModel, [
    {
      maintenance: id,
      raw_notification: rawId,
      date: new Date(),
      json: {
        parser,
        action,
        maintenance_id: m.maintenance_id,
        account: m.account,
        status: m.status,
        start: m.start.toISOString(),
        end: m.end.toISOString(),
        sequence: m.sequence,
        summary: m.summary,
        circuits: m.circuits,
        unknown_circuits: plan.unknown,
      },
    },
  ]);
  return { id, name: m.maintenance_id, action, unknown_circuits: plan.unknown };
}

function subjectOf(subject: string, fallback: string): string {
  return (subject.trim() || fallback).slice(0, 200);
}

async function keepUnparsed(
  objects: ObjectsApi,
  input: NotificationInput,
  source: string,
  envelope: { subject: string; sender: string; date: Date | null },
  reason: string,
  fallbackSubject: string,
  parser: string | null = null,
): Promise<IngestResult> {
  const [raw] = await objects.create(rawNotificationModel, [
    {
      subject: subjectOf(envelope.subject, fallbackSubject),
      sender: envelope.sender.slice(0, 200),
      source,
      provider: null,
      date: envelope.date ?? new Date(),
      raw: input.raw,
      parsed: false,
      parse_error: reason,
    },
  ]);
  return { raw_notification: raw.id, parsed: false, reason, parser, maintenances: [] };
}
