/** A `SoakReport` as the lines `pnpm soak` prints. */
import { formatJstDateTime } from '@b-route/core';
import { formatDuration } from '../lib/args.js';
import type { SoakReport } from './run-soak.js';

function jst(iso: string): string {
  return `${formatJstDateTime(Date.parse(iso))} JST`;
}

function durations(minutes: readonly number[]): string {
  const fmt = (m: number) => (m >= 60 && m % 60 === 0 ? `${m / 60} h` : `${m} min`);
  const unique = [...new Set(minutes)].sort((a, b) => a - b);
  if (unique.length === 0) return '';
  return unique.length === 1 ? fmt(unique[0]!) : `${fmt(unique[0]!)}–${fmt(unique.at(-1)!)}`;
}

export function formatSoakReport(r: SoakReport): string[] {
  const byKind = (kind: string) => r.events.filter((e) => e.kind === kind);
  const times = (n: number) => (n === 1 ? 'once' : `${n}×`);
  const resets = byKind('dongle-reset');
  const unplugs = byKind('dongle-unplug');
  const away = byKind('meter-unreachable');
  const dbDown = byKind('database-down');
  const dbSilent = byKind('database-silent');
  const restarts = byKind('poller-restart');
  const states = Object.entries(r.faults.sessionStates)
    .filter(([s]) => s !== 'ready' && s !== 'closed')
    .map(([s, n]) => `${s} ×${n}`)
    .join(', ');
  const s = r.samples;
  const i = r.intervals;
  const sources = Object.entries(i.bySource)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  const lines = [
    `Soak: ${r.days} simulated day${r.days === 1 ? '' : 's'} from ${jst(r.start)} at ${r.speed}× (seed ${r.seed}), ` +
      `${formatDuration(r.realSeconds)} real${r.interrupted ? ' (interrupted)' : ''}`,
    `Faults all along: ${r.faultSpec}`,
    `Fault events: dongle reset ${times(resets.length)}, unplugged ${times(unplugs.length)} (${durations(unplugs.map((e) => e.durationMin))}), ` +
      `meter out of reach ${times(away.length)} (${durations(away.map((e) => e.durationMin))}), ` +
      `database down ${times(dbDown.length)} (${durations(dbDown.map((e) => e.durationMin))}), ` +
      `database path silent ${times(dbSilent.length)} (${durations(dbSilent.map((e) => e.durationMin))}), ` +
      `poller restarted ${times(restarts.length)} (${durations(restarts.map((e) => e.durationMin))} down)`,
    `Faults seen: ${r.faults.repliesDropped} replies dropped, ${r.faults.corruptReplies} corrupt, ` +
      `${r.faults.duplicateReplies} duplicated, ${r.faults.answersToResends} second answers to a resend, ` +
      `${r.faults.failEr10} FAIL ER10, ` +
      `${r.faults.repliesLostNoSession} lost without a session, ${r.faults.dongleReboots} dongle reboots; ` +
      `client sessions: ${states || 'no recovery'}`,
    `Power samples: ${s.served} served by the meter, ${s.unobtainable} unobtainable (${s.lostOnTheWay} lost or ` +
      `corrupted on the way, ${s.secondAnswers} second answers, ${s.withoutPoller} with no poller running), ` +
      `${s.expected} expected, ${s.stored} stored; missing ${s.missing}, unexplained ${s.unexplained}`,
    `Half-hour values: ${i.window} in the run + ${i.history} of the meter's earlier history (both directions); ` +
      `lost ${i.lost}, mismatched ${i.mismatched}; by source: ${sources}; ` +
      `restart gap ${i.restartGap}, filled from the meter's history ${i.restartGapFromHistory}`,
    `Poller: ${r.poller.runs} runs, ${r.poller.polls} polls (${r.poller.pollFailures} failed), ` +
      `${r.poller.notifications} notifications, ${r.poller.backfillRows} backfilled slot values, ` +
      `${r.poller.rowsWritten} rows written (${r.poller.rowsSpooled} through the spool), ` +
      `${r.poller.stalledConnectionsCut} silent database connections cut, ` +
      `${r.poller.spoolFailures} appends refused by a full spool disk, ` +
      `${r.poller.warnings} warnings, ${r.poller.errors} errors logged`,
    ...(r.outputs
      ? [
          `Outputs (power samples stored → delivered): ${r.outputs.deliveries
            .map((d) => `${d.output} ${d.read} → ${d.delivered} (lost ${d.lost}, sent twice ${d.duplicates})`)
            .join(
              ', ',
            )}; broker down ${r.outputs.brokerOutages.map((o) => `${o.durationMin} min`).join(', ') || 'never'} ` +
            `(${r.outputs.storedDuringOutages} samples stored meanwhile)` +
            (r.outputs.skipped.length > 0 ? `; left out: ${r.outputs.skipped.join(', ')}` : ''),
        ]
      : []),
    `Crashes: ${r.crashes.count}`,
    ...r.crashes.messages.map((m) => `  ${m}`),
    `Memory: peak RSS ${r.memory.peakRssMb} MB (start ${r.memory.startRssMb} MB, end ${r.memory.endRssMb} MB)`,
  ];
  for (const p of i.problems) {
    const got = p.stored
      ? `stored ${p.stored.count} (${p.stored.kwh} kWh, ${p.stored.source})`
      : 'not stored';
    lines.push(`  ${p.direction} ${jst(p.slot)}: meter ${p.expected.count} (${p.expected.kwh} kWh), ${got}`);
  }
  if (s.missingAt.length > 0) lines.push(`  missing samples delivered at: ${s.missingAt.join(', ')}`);
  lines.push(r.ok ? 'Result: OK' : `Result: FAILED (${r.failures.join('; ')})`);
  return lines;
}
