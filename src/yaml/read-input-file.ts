// Reads a file a user hands etcdops (inventory, playbook, vars file, `-e @file`) within bounds: only a regular
// file (never a device or pipe such as /dev/zero, which would never end), at most a given size, and only valid
// UTF-8 (the line of the first bad byte is named). Every refusal is a UserError naming the file.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { ExitCode } from '../errors/exit-code.js';
import { ParseError, UserError, type SourceLocation } from '../errors/user-error.js';

export interface ReadInputOptions {
  /** What the file is, for messages: 'playbook', 'inventory', 'vars file', ... */
  readonly what: string;
  readonly maxBytes: number;
  /** Where the file was named (an import line): a missing file is reported there. */
  readonly referencedFrom?: SourceLocation;
  /** Exit code when the file is missing or unreadable (a wrong command-line path is a bad option). */
  readonly missingExitCode?: ExitCode;
}

export function readInputFile(file: string, options: ReadInputOptions): string {
  let fd: number;
  try {
    // Non-blocking, so opening a FIFO nobody writes to returns at once instead of waiting for a writer.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'not found' : code === 'EISDIR' ? 'is a folder' : `unreadable (${code ?? String(error)})`;
    throw missing(`${options.what} ${file} ${reason}`, options, file);
  }
  try {
    const info = fstatSync(fd);
    if (info.isDirectory()) throw missing(`${options.what} ${file} is a folder`, options, file);
    if (!info.isFile()) throw new ParseError(`${options.what} is not a regular file (a device, pipe or socket is never read)`, { file });
    const bytes = readAtMost(fd, options.maxBytes + 1);
    if (bytes.length > options.maxBytes) {
      throw new ParseError(`${options.what} is larger than ${options.maxBytes} bytes, the most etcdops reads: split it up`, { file });
    }
    return decodeUtf8(bytes, file, options.what);
  } finally {
    closeSync(fd);
  }
}

/** A file that cannot be read at all: a ParseError when named by a file, a bad option when named on the command line. */
function missing(message: string, options: ReadInputOptions, file: string): UserError {
  const where = options.referencedFrom ?? { file };
  const code = options.missingExitCode ?? ExitCode.PARSE_ERROR;
  return code === ExitCode.PARSE_ERROR ? new ParseError(message, where) : new UserError(message, code, where);
}

function readAtMost(fd: number, limit: number): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  while (total < limit) {
    const chunk = Buffer.allocUnsafe(Math.min(1 << 20, limit - total));
    const read = readSync(fd, chunk, 0, chunk.length, null);
    if (read === 0) break;
    chunks.push(chunk.subarray(0, read));
    total += read;
  }
  return Buffer.concat(chunks, total);
}

/** The text of UTF-8 bytes without a leading byte-order mark; invalid UTF-8 is refused at its line. */
export function decodeUtf8(bytes: Uint8Array, file: string, what: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    const { line, column } = firstInvalidByte(bytes);
    throw new ParseError(`${what} is not valid UTF-8 (byte ${column} of this line): save it as UTF-8`, { file, line, column });
  }
}

/** Line and 1-based byte column where UTF-8 decoding of `bytes` first fails. */
function firstInvalidByte(bytes: Uint8Array): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  // A newline byte never occurs inside a UTF-8 sequence, so each line can be checked on its own.
  while (lineStart <= bytes.length) {
    let lineEnd = bytes.indexOf(0x0a, lineStart);
    if (lineEnd < 0) lineEnd = bytes.length;
    const text = bytes.subarray(lineStart, lineEnd);
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(text);
    } catch {
      const decoder = new TextDecoder('utf-8', { fatal: true });
      for (let i = 0; i < text.length; i++) {
        try {
          decoder.decode(text.subarray(i, i + 1), { stream: true });
        } catch {
          return { line, column: i + 1 };
        }
      }
      return { line, column: text.length };
    }
    line++;
    lineStart = lineEnd + 1;
  }
  return { line, column: 1 };
}
