import type { ImportReport, ModelReport } from './importer';

function line(r: ModelReport): string {
  const name = r.pass ? `${r.netbox} (${r.pass})` : r.netbox;
  const target = r.target ? ` → ${r.target}` : '';
  const parts = [
    r.created && `${r.created} created`,
    r.updated && `${r.updated} updated`,
    r.unchanged && `${r.unchanged} unchanged`,
    r.matched && `${r.matched} matched`,
    r.skipped && `${r.skipped} skipped`,
    r.failed && `${r.failed} FAILED`,
  ].filter(Boolean);
  return `  ${name}${target}: ${r.total} in NetBox${parts.length ? `; ${parts.join(', ')}` : ''}`;
}

/** The summary printed at the end of a run: a line per NetBox model, then what did not come across. */
export function formatReport(report: ImportReport): string[] {
  const out = [
    `${report.dryRun ? 'Dry run (nothing kept)' : 'Imported'} from ${report.source} in ${report.seconds.toFixed(1)} s`,
  ];
  const totals = { created: 0, updated: 0, unchanged: 0 };
  for (const r of report.models) {
    if (r.total === 0) continue;
    out.push(line(r));
    for (const [reason, n] of Object.entries(r.skipReasons)) out.push(`      skipped ${n}: ${reason}`);
    for (const note of r.notes) out.push(`      note: ${note}`);
    for (const f of r.failures.slice(0, 5)) out.push(`      failed pk ${f.pk}: ${f.reason}`);
    if (r.failures.length > 5)
      out.push(`      … ${r.failures.length - 5} more failure(s) (--report lists them all)`);
    if (!r.pass) {
      totals.created += r.created;
      totals.updated += r.updated;
      totals.unchanged += r.unchanged;
    }
  }
  if (report.dropped.length) {
    out.push('Values with no place in Plinth (not kept):');
    for (const d of report.dropped) out.push(`  ${d.netbox}.${d.field}: ${d.count} (${d.reason})`);
  }
  if (report.paths) {
    const p = report.paths;
    out.push(
      `Cable paths: ${p.checked} compared with NetBox's, ${p.agree} agree, ${p.differences.length} differ` +
        (p.skipped ? `, ${p.skipped} not comparable (origin not imported, split paths)` : ''),
    );
    const reasons = new Map<string, number>();
    for (const d of p.differences) reasons.set(d.reason, (reasons.get(d.reason) ?? 0) + 1);
    for (const [reason, n] of reasons) out.push(`  ${n}: ${reason}`);
  }
  out.push(
    `${totals.created} created, ${totals.updated} updated, ${totals.unchanged} unchanged, ${report.failed} failed` +
      ` (change log request id ${report.request_id})`,
  );
  return out;
}
