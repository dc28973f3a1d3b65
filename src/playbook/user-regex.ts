// The one place a regular expression from a playbook runs (filters and tests, lineinfile, blockinfile), on
// text that may come from a host. JavaScript's RegExp backtracks like Python's `re`, which keeps meaning
// (backreferences, lookarounds) but lets a pattern such as `(a+)+$` take hours on a 40-character line.
// So every operation runs inside a reused `vm` context with a timeout: V8 interrupts the match and the
// task fails naming the pattern. RE2 would be linear but changes meaning; V8's fallback to its linear
// engine on excessive backtracking leaves backreferences, lookarounds and ignorecase unbounded.
import { Script, createContext, type Context } from 'node:vm';
import { TaskFailure } from '../modules/task-failure.js';

/** How long one operation (a search, a replace, a scan of a file's lines) may take. */
export const REGEX_TIME_LIMIT_MS = 1000;

/** The operation the bounded script runs; set just before it runs, so the context holds no state between runs. */
let work: (() => unknown) | undefined;
let bounded: { readonly context: Context; readonly script: Script } | undefined;

/** Runs `operation` with the time limit; the context and script are made once (a run costs tens of µs). */
function withinLimit<T>(operation: () => T, timedOut: () => string): T {
  bounded ??= {
    context: createContext({ work: () => work!() }, { codeGeneration: { strings: false, wasm: false } }),
    script: new Script('work()'),
  };
  work = operation;
  try {
    return bounded.script.runInContext(bounded.context, { timeout: REGEX_TIME_LIMIT_MS }) as T;
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw new TaskFailure(timedOut());
    throw error;
  } finally {
    work = undefined;
  }
}

const clip = (text: string): string => (text.length > 80 ? `${text.slice(0, 77)}...` : text);

/** A compiled user pattern; `pattern` (as written) and `what` (e.g. "regexp") name it when it takes too long. */
export class UserRegex {
  readonly #regex: RegExp;
  #global: RegExp | undefined;
  #sticky: RegExp | undefined;

  constructor(
    regex: RegExp,
    readonly pattern: string,
    readonly what: string,
  ) {
    this.#regex = regex;
  }

  /** Whether `^` and `$` match at every line (Python's re.MULTILINE). */
  get multiline(): boolean {
    return this.#regex.multiline;
  }

  /** Python's re.search: the first match anywhere in `text`. */
  search(text: string): RegExpExecArray | null {
    return this.#bounded(text.length, () => this.#regex.exec(text));
  }

  /** Python's re.match: a match that starts at the beginning of `text`. */
  matchStart(text: string): RegExpExecArray | null {
    this.#sticky ??= new RegExp(this.#regex.source, `${this.#regex.flags}y`);
    const sticky = this.#sticky;
    return this.#bounded(text.length, () => {
      sticky.lastIndex = 0;
      return sticky.exec(text);
    });
  }

  /** re.search on each text, in one bounded run: a file's lines cost one timer, not one each. */
  searchEach(texts: readonly string[]): (RegExpExecArray | null)[] {
    const length = texts.reduce((sum, text) => sum + text.length, 0);
    return this.#bounded(length, () => texts.map((text) => this.#regex.exec(text)));
  }

  /** Every non-overlapping match, as Python's re.finditer. */
  findAll(text: string): RegExpExecArray[] {
    const global = this.#globalRegex();
    return this.#bounded(text.length, () => [...text.matchAll(global)]);
  }

  /** Every match replaced by `replacement`, a JavaScript replacement string (`$1`, `$<name>`). */
  replaceAll(text: string, replacement: string): string {
    const global = this.#globalRegex();
    return this.#bounded(text.length, () => text.replace(global, replacement));
  }

  #globalRegex(): RegExp {
    return (this.#global ??= new RegExp(this.#regex.source, `${this.#regex.flags}g`));
  }

  #bounded<T>(length: number, operation: () => T): T {
    return withinLimit(
      operation,
      () =>
        `${this.what} ${JSON.stringify(clip(this.pattern))} took longer than ${REGEX_TIME_LIMIT_MS} ms on ${length} characters of text ` +
        '(nested repetition such as (a+)+ backtracks without end on text it does not match): write the pattern so each character can match only one way',
    );
  }
}
