// Prints a run plan for people: grouped by host, each change with its reason and a unified diff, each
// deferred task (`?`) with what it waits for, ending with one summary line.
import { renderChangeDiff } from './change-diff.js';
import { HostStatus } from './host-status.js';
import { summarisePlan, type RunPlan } from './run-plan.js';

const verb: Record<string, string> = {
  CREATE: '+ create',
  UPDATE: '~ update',
  REPLACE: '-/+ replace',
  DELETE: '- delete',
  RUN: '> run',
};

/** A target on one line: a multi-line command shows its first line. */
function targetLine(target: string): string {
  const [first = '', ...rest] = target.split('\n');
  const line = first.length > 100 ? `${first.slice(0, 99)}…` : first;
  return rest.some((l) => l.trim()) ? `${line} …` : line;
}

export function renderPlan(plan: RunPlan, options: { diff: boolean }): string {
  const out: string[] = [];
  const hosts = [...new Set(plan.tasks.map((t) => t.host))];
  for (const host of hosts) {
    const tasks = plan.tasks.filter((t) => t.host === host);
    const changing = tasks.filter((t) => t.status === HostStatus.CHANGED).length;
    const deferred = tasks.filter((t) => t.status === HostStatus.DEFERRED).length;
    out.push(`\n${host}: ${changing === 0 ? 'no changes' : `${changing} task(s) to change`}${deferred ? `, ${deferred} deferred` : ''}`);
    for (const t of tasks) {
      if (t.status === HostStatus.DEFERRED) out.push(`  ? ${t.task}: deferred: ${t.deferredUntil ?? 'depends on an earlier change'}`);
      if (t.status === HostStatus.FAILED || t.status === HostStatus.UNREACHABLE) out.push(`  ! ${t.task}: ${t.status.toLowerCase()}${t.reason ? `: ${t.reason}` : ''}`);
      if (t.status !== HostStatus.CHANGED) continue;
      out.push(`  ${t.task}`);
      for (const c of t.changes) {
        out.push(`    ${verb[c.action] ?? c.action} ${targetLine(c.target)}: ${c.reason}`);
        if (options.diff) {
          const diff = renderChangeDiff(c);
          if (diff) out.push(diff.replace(/^/gm, '      ').trimEnd());
        }
      }
    }
  }
  const s = summarisePlan(plan);
  out.push(`\nPlan: ${s.hosts} hosts, ${s.toChange} to change, ${s.unchanged} unchanged${s.deferred ? `, ${s.deferred} deferred (judged once the changes before them are applied)` : ''}${s.failed ? `, ${s.failed} failed` : ''}\n`);
  return out.join('\n');
}
