// The live terminal view (listr2): one line per task while it runs (hosts done, and the time once it
// takes a while, as a health gate's wait does), which becomes that task's summary when it ends; then the
// recap. Diffs print once each, after their task's line; failures name host and message.
import type { ListrTaskWrapper } from 'listr2';
import { renderChangeDiff } from '../plan/change-diff.js';
import { HostStatus } from '../plan/host-status.js';
import type { TaskRecord } from '../plan/run-record.js';
import { PlainReporter } from './plain-reporter.js';
import type { Reporter, ReporterOptions, RunEvent } from './events.js';
import { onFirstUse } from '../startup/on-first-use.js';

/** listr2 loads with the first task shown: a run with another view (json, plain) never needs it. */
const listr2 = onFirstUse<typeof import('listr2')>('listr2');

/** Worst first: a host's outcome over a loop's items is the first of these it had. */
const SEVERITY = [HostStatus.UNREACHABLE, HostStatus.FAILED, HostStatus.CHANGED, HostStatus.DEFERRED, HostStatus.OK, HostStatus.SKIPPED];

const WORD: Record<HostStatus, string> = {
  [HostStatus.UNREACHABLE]: 'unreachable',
  [HostStatus.FAILED]: 'failed',
  [HostStatus.CHANGED]: 'changed',
  [HostStatus.DEFERRED]: 'deferred',
  [HostStatus.OK]: 'ok',
  [HostStatus.SKIPPED]: 'skipped',
};

/** A failure `ignore_errors` let pass. */
const IGNORED = 'failed (ignored)';

/** Outcomes whose hosts are named in a task's summary (the others are counted). */
const NAMED_WORDS = new Set(['unreachable', 'failed', 'changed', 'deferred', IGNORED]);
const MAX_NAMES = 5;

/** A task shows its running time once it has taken this long. */
const SHOW_TIME_AFTER_MS = 2000;

type TaskWrapper = Pick<ListrTaskWrapper<unknown, any, any>, 'title' | 'skip'>;

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

function names(hosts: readonly string[]): string {
  return hosts.length <= MAX_NAMES ? hosts.join(', ') : `${hosts.slice(0, MAX_NAMES).join(', ')} +${hosts.length - MAX_NAMES}`;
}

/** One task across its hosts: what they ended with so far, drawn as one line. */
class TaskLine {
  private readonly outcome = new Map<string, HostStatus>();
  /** Hosts whose failure was ignored (ignore_errors): summarised apart from real failures. */
  private readonly ignored = new Set<string>();
  /** Lines printed under the task once it ended: failures (ignored ones said so) and what deferred tasks wait for. */
  readonly notes: string[] = [];
  private failed = false;
  private readonly started = Date.now();
  private wrapper?: TaskWrapper;
  private settle?: (failure?: Error) => void;
  private ticker?: NodeJS.Timeout;
  finished = false;

  constructor(private readonly label: string, private readonly hosts: readonly string[], private readonly redraws: boolean) {}

  record(entry: TaskRecord): void {
    const before = this.outcome.get(entry.host);
    if (before === undefined || SEVERITY.indexOf(entry.status) < SEVERITY.indexOf(before)) this.outcome.set(entry.host, entry.status);
    if (entry.status === HostStatus.FAILED || entry.status === HostStatus.UNREACHABLE) {
      this.failed ||= !entry.ignored;
      if (entry.ignored) this.ignored.add(entry.host);
      this.notes.push(`${entry.host}: ${WORD[entry.status]}${entry.ignored ? ' (ignored)' : ''}: ${entry.msg ?? ''}`);
    }
    if (entry.status === HostStatus.DEFERRED && entry.deferredUntil) this.notes.push(`${entry.host}: deferred: ${entry.deferredUntil}`);
    this.draw();
  }

  /** Called by listr2 when it starts drawing the task. */
  attach(wrapper: TaskWrapper): Promise<void> {
    this.wrapper = wrapper;
    this.draw();
    if (this.redraws) this.ticker = setInterval(() => this.draw(), 1000).unref();
    return new Promise<void>((resolve, reject) => {
      this.settle = (failure) => (failure ? reject(failure) : resolve());
      if (this.finished) this.end();
    });
  }

  finish(): void {
    this.finished = true;
    if (this.settle) this.end();
  }

  private elapsed(): string {
    const ms = Date.now() - this.started;
    return ms >= SHOW_TIME_AFTER_MS ? seconds(ms) : '';
  }

  private draw(): void {
    if (!this.wrapper || this.finished) return;
    const time = this.redraws ? this.elapsed() : '';
    const progress = this.hosts.length > 1 ? `${this.outcome.size}/${this.hosts.length} hosts` : '';
    const detail = [progress, time].filter(Boolean).join(', ');
    this.wrapper.title = detail ? `${this.label} (${detail})` : this.label;
  }

  private summary(): string {
    const byWord = new Map<string, string[]>();
    // In the order the hosts were given, whatever order they finished in.
    for (const host of this.hosts) {
      const status = this.outcome.get(host);
      if (status === undefined) continue;
      const word = status === HostStatus.FAILED && this.ignored.has(host) ? IGNORED : WORD[status];
      byWord.set(word, [...(byWord.get(word) ?? []), host]);
    }
    const parts = [...SEVERITY.map((s) => WORD[s]), IGNORED]
      .filter((word) => byWord.has(word))
      .map((word) => (NAMED_WORDS.has(word) ? `${word}: ${names(byWord.get(word)!)}` : `${word} ${byWord.get(word)!.length}`));
    const time = this.elapsed();
    return `${this.label} — ${parts.join(' · ') || 'no hosts'}${time ? ` (${time})` : ''}`;
  }

  private end(): void {
    clearInterval(this.ticker);
    const wrapper = this.wrapper!;
    const statuses = [...this.outcome.values()];
    if (statuses.length > 0 && statuses.every((s) => s === HostStatus.SKIPPED)) {
      // The redrawing renderer shows the message in place of the title; the line-by-line one appends it.
      wrapper.skip(this.redraws ? `${this.label} — skipped` : 'on every host');
    } else wrapper.title = this.summary();
    // A failed task is drawn as failed (listr2 shows the error's message as its line), never with a tick.
    this.settle!(this.failed ? new Error(this.summary()) : undefined);
  }
}

export class TtyReporter implements Reporter {
  /** Status lines under -v; diffs are printed here, once each. */
  private readonly plain: PlainReporter;
  /** Task views run one after another: each must end before the next one draws. */
  private queue: Promise<unknown> = Promise.resolve();
  private current?: TaskLine;
  /** Diffs already shown (host, target, content): a check run plans the same write again in a later task. */
  private readonly shownDiffs = new Set<string>();
  /** A terminal that reports no width gets listr2's line-by-line renderer: the redrawing one would wrap at 0. */
  private readonly renderer: 'default' | 'simple';

  constructor(private readonly options: ReporterOptions, columns = process.stdout.columns) {
    this.plain = new PlainReporter({ ...options, diff: false });
    this.renderer = columns !== undefined && columns > 0 ? 'default' : 'simple';
  }

  handle(event: RunEvent): void {
    switch (event.event) {
      case 'task_start':
        this.startTask(`${event.handler ? 'HANDLER' : 'TASK'} [${event.task}]`, event.hosts);
        break;
      case 'host_result':
        this.current?.record(event);
        if (this.options.verbosity > 0) this.later(() => this.plain.handle(event));
        if (this.options.diff) this.showDiffs(event);
        break;
      case 'task_end': {
        const line = this.current;
        if (!line) break;
        line.finish();
        if (line.notes.length > 0) this.later(() => this.options.write(line.notes.map((n) => `    ${n}\n`).join('')));
        break;
      }
      case 'play_start':
        this.later(() => this.options.write(`\nPLAY [${event.play}]${event.check ? ' (check mode)' : ''}\n`));
        break;
      case 'batch_start':
      case 'warning':
      case 'recap':
        this.later(() => this.plain.handle(event));
        break;
    }
  }

  private showDiffs(entry: TaskRecord): void {
    for (const change of entry.changes) {
      const key = `${entry.host}\0${change.target}\0${change.after ?? ''}`;
      const diff = renderChangeDiff(change);
      if (!diff || this.shownDiffs.has(key)) continue;
      this.shownDiffs.add(key);
      this.later(() => this.options.write(`  [${entry.host}] ${change.target}\n${diff.replace(/^/gm, '    ').trimEnd()}\n`));
    }
  }

  private later(action: () => void): void {
    this.queue = this.queue.then(action);
  }

  private startTask(label: string, hosts: readonly string[]): void {
    const line = new TaskLine(label, hosts, this.renderer === 'default');
    this.current = line;
    // listr2's own Ctrl-C handler ends the process at once (exit 127, no recap); the run's handler lets running
    // tasks finish and exits 99, as with every other view.
    const list = new (listr2().Listr)([{ title: label, task: (_: unknown, task: TaskWrapper) => line.attach(task) }], {
      renderer: this.renderer,
      exitOnError: false,
      registerSignalListeners: false,
      rendererOptions: { collapseSkips: true, showSkipMessage: true },
    });
    this.later(() => list.run().catch(() => undefined));
  }

  async close(): Promise<void> {
    await this.queue;
  }
}
