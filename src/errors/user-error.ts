// Errors a user can act on: what went wrong, where (file:line, field, host, task), and the exit code.
import { ExitCode } from './exit-code.js';

export interface SourceLocation {
  readonly file: string;
  /** 1-based line, when known. */
  readonly line?: number;
  readonly column?: number;
  /** Dotted path of the offending field, e.g. `tasks[2].when`. */
  readonly field?: string;
}

export function formatLocation(where: SourceLocation): string {
  let text = where.file;
  if (where.line !== undefined) text += `:${where.line}`;
  if (where.column !== undefined) text += `:${where.column}`;
  if (where.field) text += ` (${where.field})`;
  return text;
}

export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = ExitCode.ERROR,
    readonly where?: SourceLocation,
  ) {
    super(where ? `${formatLocation(where)}: ${message}` : message);
    this.name = 'UserError';
  }
}

/** A file that does not parse or validate (exit code 4). */
export class ParseError extends UserError {
  constructor(message: string, where?: SourceLocation) {
    super(message, ExitCode.PARSE_ERROR, where);
    this.name = 'ParseError';
  }
}
