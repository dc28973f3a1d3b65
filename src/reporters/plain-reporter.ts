// Plain lines in the manner of ansible-playbook's default output: for logs, pipes and CI.
import { ChangeAction } from '../plan/change.js';
import { renderChangeDiff } from '../plan/change-diff.js';
import { HostStatus } from '../plan/host-status.js';
import type { Reporter, ReporterOptions, RunEvent, RunPhases } from './events.js';

const label: Record<HostStatus, string> = {
  [HostStatus.OK]: 'ok',
  [HostStatus.CHANGED]: 'changed',
  [HostStatus.SKIPPED]: 'skipping',
  [HostStatus.FAILED]: 'fatal',
  [HostStatus.UNREACHABLE]: 'fatal',
  [HostStatus.DEFERRED]: 'deferred',
};

/** `-vv`: where the run's time went, start-up and loading first, then the run and what it spent it on. */
function phasesLine(p: RunPhases): string {
  const before = [p.startMs === undefined ? '' : `start ${p.startMs} ms, `, p.loadMs === undefined ? '' : `load ${p.loadMs} ms, `].join('');
  return `Time: ${before}run ${p.runMs} ms (connect ${p.connectMs} ms, remote commands ${p.remoteMs} ms on the busiest host, control-node CPU ${p.cpuMs} ms, of which reporting ${p.reportMs} ms)\n`;
}

function banner(text: string): string {
  return `\n${text} ${'*'.repeat(Math.max(3, 72 - text.length))}\n`;
}

export class PlainReporter implements Reporter {
  constructor(private readonly options: ReporterOptions) {}

  handle(event: RunEvent): void {
    const write = this.options.write;
    switch (event.event) {
      case 'play_start':
        write(banner(`PLAY [${event.play}]${event.check ? ' (check mode)' : ''}`));
        break;
      case 'batch_start':
        if (event.count > 1) write(`\nBATCH ${event.index + 1}/${event.count}: ${event.hosts.join(', ')}\n`);
        break;
      case 'task_start':
        write(banner(`${event.handler ? 'RUNNING HANDLER' : 'TASK'} [${event.task}]`));
        break;
      case 'host_result': {
        const item = event.item === undefined ? '' : ` => (item=${typeof event.item === 'string' ? event.item : JSON.stringify(event.item)})`;
        let line = `${label[event.status]}: [${event.host}]${item}`;
        if (event.status === HostStatus.UNREACHABLE) line += `: UNREACHABLE! => ${event.msg ?? ''}`;
        else if (event.status === HostStatus.FAILED) {
          const stderr = typeof event.result?.stderr === 'string' ? event.result.stderr.trim() : '';
          line += `: FAILED! => ${event.msg ?? ''}${stderr ? `\n  stderr: ${stderr.split('\n').slice(-5).join('\n          ')}` : ''}`;
          if (event.ignored) line += '\n...ignoring';
        }
        else if (event.status === HostStatus.DEFERRED) line += ` => ${event.deferredUntil ?? ''}`;
        else if (event.msg) line += ` => ${event.msg}`;
        if (event.reason && this.options.verbosity > 0) line += ` (${event.reason})`;
        write(`${line}\n`);
        if (this.options.verbosity > 0) {
          for (const change of event.changes) {
            if (change.action !== ChangeAction.NOOP) write(`    ${change.action} ${change.target}: ${change.reason}\n`);
          }
        }
        if (this.options.verbosity > 1 && event.result) write(`    ${JSON.stringify(event.result)}\n`);
        if (this.options.diff) for (const change of event.changes) write(renderChangeDiff(change));
        break;
      }
      case 'warning':
        write(`[WARNING]: ${event.message}\n`);
        break;
      case 'recap': {
        write(banner('PLAY RECAP'));
        const width = Math.max(0, ...Object.keys(event.hosts).map((h) => h.length));
        for (const [host, c] of Object.entries(event.hosts)) {
          write(
            `${host.padEnd(width)} : ok=${c.ok}  changed=${c.changed}  unreachable=${c.unreachable}  failed=${c.failed}  skipped=${c.skipped}  rescued=${c.rescued}  ignored=${c.ignored}${c.deferred ? `  deferred=${c.deferred}` : ''}\n`,
          );
        }
        if (this.options.verbosity >= 2) write(phasesLine(event.phases));
        if (this.options.verbosity >= 3) {
          for (const [host, c] of Object.entries(event.connections)) write(`${host}: ${c.connections} SSH connection(s), ${c.commands} command(s)\n`);
        }
        write(`\nFinished in ${(event.durationMs / 1000).toFixed(2)} s\n`);
        break;
      }
      case 'task_end':
        break;
    }
  }

  async close(): Promise<void> {}
}
