// The drill report as text: the timeline, the figures, and each check with what was expected and seen.
import type { DrillReport } from './run-drill.js';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function renderDrillReport(report: DrillReport): string {
  const f = report.figures;
  const lines = [
    `drill ${report.drill} on ${report.members.join(' ')}: ${report.load.rate} requests/s for ${report.load.duration} s (${report.startedAt})`,
    '',
    'timeline',
    ...report.timeline.map((e) => `  ${`+${seconds(e.at)}`.padStart(9)}  ${e.what}`),
    '',
    'figures',
    `  requests                  ${f.requests} (${f.ok} answered), availability ${f.availabilityPercent.toFixed(2)} %`,
    `  p99 latency               ${f.p99Ms === null ? 'none answered' : `${f.p99Ms} ms`}`,
    `  leader changes            ${f.leaderChanges}`,
    `  longest unavailable       ${seconds(f.unavailable.ms)} (+${seconds(f.unavailable.from)} to +${seconds(f.unavailable.to)})`,
    `  recovery after the faults ${seconds(f.recoveryMs)}`,
    `  lost acknowledged writes  ${f.lostWrites} of ${f.ackedWrites}`,
    `  consistency (HashKV)      ${f.consistent === null ? 'not measured' : f.consistent ? 'equal' : 'DIFFERENT'}`,
    '',
    'checks',
    ...report.checks.map((c) => `  ${c.ok ? 'ok  ' : 'FAIL'}  ${c.name.padEnd(20)} expected ${c.expected}, got ${c.actual}`),
    '',
    report.passed ? `drill ${report.drill} passed` : `drill ${report.drill} FAILED: ${report.checks.filter((c) => !c.ok).map((c) => c.name).join(', ')}`,
  ];
  return `${lines.join('\n')}\n`;
}
