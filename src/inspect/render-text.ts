// The compact text report: one line per check with its severity and summary, then the few lines that
// back it up (members, largest values, top prefixes, growth). Pure, so tests assert it exactly.
import type { BigValuesData } from './big-values.js';
import type { CheckReport } from './check-report.js';
import type { ConsistencyData } from './consistency.js';
import { formatBytes, formatBytesDelta } from './format-bytes.js';
import type { HotPrefixesData } from './hot-prefixes.js';
import type { SpreadData } from './member-spread.js';
import type { PrefixesData } from './prefixes.js';
import type { QuotaData } from './quota.js';
import { CHECK_NAMES, type InspectReport } from './run-inspect.js';
import { Severity } from './severity.js';

const INDENT = '    ';

/** Rows as columns padded to the widest cell, the last column left ragged. */
function columns(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => r[i]!.length))) ?? [];
  return rows.map((r) => INDENT + r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd());
}

function consistencyLines(report: CheckReport<ConsistencyData>): string[] {
  if (report.severity === Severity.OK) return [];
  // etcd3 hands HashKV's uint32 over as a number, whatever its type says: a cell must be text.
  return columns(report.data.members.map((m) => [m.member, m.hash === null ? '-' : String(m.hash), m.compactRevision === null ? '-' : `compacted at ${m.compactRevision}`, m.error ?? '']));
}

function bigValueLines(data: BigValuesData): string[] {
  return columns(data.largest.map((v) => [formatBytes(v.bytes), `${v.bytes} B`, v.key]));
}

function prefixLines(data: PrefixesData): string[] {
  const growth = new Map((data.growth ?? []).map((g) => [g.prefix, g]));
  const rows = data.top.map((p) => {
    const g = growth.get(p.prefix);
    return [`${p.keys} keys`, formatBytes(p.bytes), p.prefix, g ? `(${g.keysDelta > 0 ? '+' : ''}${g.keysDelta} keys, ${formatBytesDelta(g.bytesDelta)})` : ''];
  });
  const lines = columns(rows);
  if (data.growth && data.growth.length > 0) {
    lines.push(`${INDENT}growth since ${data.baseline!.takenAt} (revision ${data.baseline!.revision}):`);
    lines.push(...columns(data.growth.map((g) => [g.prefix, `${g.keysDelta > 0 ? '+' : ''}${g.keysDelta} keys`, `${g.keysBefore} → ${g.keysAfter}`, formatBytesDelta(g.bytesDelta)])).map((l) => INDENT + l));
  }
  return lines;
}

function quotaLines(report: CheckReport<QuotaData>): string[] {
  const rows = report.data.members.map((m) =>
    m.error !== null
      ? [m.member, '-', '-', '-', '-', `no answer: ${m.error}`]
      : [
          m.member,
          `db ${formatBytes(m.dbSize!)}`,
          `in use ${m.dbSizeInUse === null ? '-' : formatBytes(m.dbSizeInUse)}`,
          `quota ${formatBytes(m.quotaBytes)}${m.quotaSource === 'default' ? ' (default)' : ''}`,
          `${m.percentUsed}%`,
          `alarms ${m.alarms.length === 0 ? 'none' : m.alarms.join(',')}`,
        ],
  );
  const findings = report.findings.map((f) => `${INDENT}${f.severity}: ${f.message}`);
  return [...columns(rows), ...findings];
}

const findingLines = (report: CheckReport<unknown>) => report.findings.map((f) => `${INDENT}${f.severity}: ${f.message}`);

function spreadLines(report: CheckReport<SpreadData>): string[] {
  const figure = (n: number | null) => (n === null ? '-' : String(n));
  const rows = report.data.members.map((m) =>
    m.revision === null
      ? [m.member, '-', '-', '-', `no answer: ${m.error ?? ''}`]
      : [m.member, `keys ${figure(m.keyCount)}`, `revision ${m.revision}`, `raft index ${m.raftIndex}`, m.isLearner ? 'learner' : ''],
  );
  return [...columns(rows), ...findingLines(report)];
}

function hotLines(report: CheckReport<HotPrefixesData>): string[] {
  return [...columns(report.data.top.map((p) => [`${p.perSecond}/s`, `${p.writes} writes`, p.prefix])), ...findingLines(report)];
}

function detailLines(name: string, report: CheckReport<unknown>): string[] {
  if (report.data === null) return [];
  switch (name) {
    case 'consistency':
      return [...consistencyLines(report as CheckReport<ConsistencyData>), ...report.findings.map((f) => `${INDENT}${f.severity}: ${f.message}`)];
    case 'big-values':
      return bigValueLines(report.data as BigValuesData);
    case 'prefixes':
      return prefixLines(report.data as PrefixesData);
    case 'quota':
      return quotaLines(report as CheckReport<QuotaData>);
    case 'spread':
      return report.severity === Severity.OK ? [] : spreadLines(report as CheckReport<SpreadData>);
    case 'hot-prefixes':
      return hotLines(report as CheckReport<HotPrefixesData>);
    default:
      return findingLines(report);
  }
}

/**
 * Key names and prefixes come from whoever may write to etcd: a control character in one could forge a
 * report line or send the terminal an escape sequence, so each is shown escaped (\n, \x1b).
 */
function visible(line: string): string {
  return line.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => (c === '\n' ? '\\n' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
}

export function renderText(report: InspectReport): string {
  const lines = [`inspect: ${report.severity} at revision ${report.revision} (${report.members.length} members: ${report.members.join(', ')})`];
  const ran = CHECK_NAMES.filter((name) => report.checks[name] !== undefined);
  const width = Math.max(...ran.map((n) => n.length));
  for (const name of ran) {
    const check = report.checks[name]! as CheckReport<unknown>;
    lines.push(`${check.severity.padEnd(8)} ${name.padEnd(width)}  ${check.summary}`);
    lines.push(...detailLines(name, check));
  }
  return `${lines.map(visible).join('\n')}\n`;
}
