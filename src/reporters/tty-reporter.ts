// The live terminal view (listr2): one line per task with a spinner per host while it runs, then the
// outcome per host; diffs, warnings and the recap print as plain text between tasks.
import { Listr, type ListrTaskWrapper } from 'listr2';
import { PlainReporter } from './plain-reporter.js';
import { HostStatus } from '../plan/host-status.js';
import type { Reporter, ReporterOptions, RunEvent } from './events.js';

const symbol: Record<HostStatus, string> = {
  [HostStatus.OK]: 'ok',
  [HostStatus.CHANGED]: 'changed',
  [HostStatus.SKIPPED]: 'skipped',
  [HostStatus.FAILED]: 'FAILED',
  [HostStatus.UNREACHABLE]: 'UNREACHABLE',
  [HostStatus.DEFERRED]: 'deferred',
};

interface HostLine {
  task?: ListrTaskWrapper<unknown, never, never>;
  finish?: (failure?: Error) => void;
  done?: boolean;
  /** The outcome, kept for a view that starts drawing after the host already finished. */
  text?: string;
  failure?: Error;
  /** Outcomes of a loop's items, summarised when the task ends. */
  items?: HostStatus[];
}

export class TtyReporter implements Reporter {
  private readonly plain: PlainReporter;
  /** Live views run one after another: each task's view must end before the next one draws. */
  private queue: Promise<unknown> = Promise.resolve();
  private hosts = new Map<string, HostLine>();

  constructor(private readonly options: ReporterOptions) {
    this.plain = new PlainReporter(options);
  }

  handle(event: RunEvent): void {
    switch (event.event) {
      case 'task_start':
        this.startTask(event.task, event.handler, event.hosts);
        break;
      case 'host_result': {
        const line = this.hosts.get(event.host);
        const text = `${event.host}: ${symbol[event.status]}${event.item === undefined ? '' : ` (${JSON.stringify(event.item)})`}${event.msg ? ` — ${event.msg}` : ''}${event.deferredUntil ? ` — ${event.deferredUntil}` : ''}`;
        if (line?.task) line.task.output = text;
        if (line && event.item !== undefined) (line.items ??= []).push(event.status);
        const failed = event.status === HostStatus.FAILED || event.status === HostStatus.UNREACHABLE;
        if (line && !line.done && event.item === undefined) {
          line.done = true;
          line.text = text;
          line.failure = failed && !event.ignored ? new Error(text) : undefined;
          if (line.task) line.task.title = text;
          line.finish?.(line.failure);
        }
        if (this.options.diff || this.options.verbosity > 0) this.later(() => this.plain.handle(event));
        break;
      }
      case 'task_end':
        for (const [host, line] of this.hosts) {
          if (line.done) continue;
          line.done = true;
          const items = line.items ?? [];
          const worst = [HostStatus.UNREACHABLE, HostStatus.FAILED, HostStatus.CHANGED, HostStatus.DEFERRED, HostStatus.OK, HostStatus.SKIPPED].find((s) => items.includes(s));
          line.text = worst ? `${host}: ${symbol[worst]} (${items.length} items)` : host;
          if (line.task) line.task.title = line.text;
          line.finish?.();
        }
        break;
      case 'play_start':
      case 'batch_start':
      case 'warning':
      case 'recap':
        this.later(() => this.plain.handle(event));
        break;
    }
  }

  private later(action: () => void): void {
    this.queue = this.queue.then(action);
  }

  private startTask(title: string, handler: boolean, hosts: readonly string[]): void {
    this.hosts = new Map(hosts.map((h) => [h, {}]));
    const lines = this.hosts;
    const list = new Listr(
      hosts.map((host) => ({
        title: `${host}`,
        task: (_: unknown, task: ListrTaskWrapper<unknown, never, never>) =>
          new Promise<void>((resolve, reject) => {
            const line = lines.get(host)!;
            line.task = task;
            if (line.text) task.title = line.text;
            if (line.done) return line.failure ? reject(line.failure) : resolve();
            else line.finish = (failure) => (failure ? reject(failure) : resolve());
          }),
      })),
      { concurrent: true, exitOnError: false, registerSignalListeners: false },
    );
    // listr2's own Ctrl-C handler ends the process at once (exit 127, no recap); the run's handler lets running
    // tasks finish and exits 99, as with every other view.
    const parent = new Listr([{ title: `${handler ? 'HANDLER' : 'TASK'} [${title}]`, task: () => list }], {
      exitOnError: false,
      registerSignalListeners: false,
      rendererOptions: { collapseSubtasks: false },
    });
    this.later(() => parent.run().catch(() => undefined));
  }

  async close(): Promise<void> {
    await this.queue;
  }
}
