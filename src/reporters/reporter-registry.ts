// The output formats, one line each (`--output NAME`).
import { JsonReporter } from './json-reporter.js';
import { PlainReporter } from './plain-reporter.js';
import { TtyReporter } from './tty-reporter.js';
import type { Reporter, ReporterOptions } from './events.js';

export const reporters = {
  tty: (options: ReporterOptions): Reporter => new TtyReporter(options),
  plain: (options: ReporterOptions): Reporter => new PlainReporter(options),
  json: (options: ReporterOptions): Reporter => new JsonReporter(options),
} as const;

export type OutputFormat = keyof typeof reporters;

/** `tty` when standard output is a terminal and not in CI, `plain` otherwise. */
export function defaultOutputFormat(): OutputFormat {
  return process.stdout.isTTY && !process.env.CI ? 'tty' : 'plain';
}
