// The contract every transport to a host honours (ssh, local): run a command, put and fetch files, close.
// Modules and facts only ever see this interface, so the executor can count round trips per host.

/** What one remote command returned. */
export interface ExecResult {
  readonly stdout: string;
  readonly stderr: string;
  /** Exit status; -1 when the command was killed by a signal. */
  readonly code: number;
}

/** Who a command runs as: with `become`, through sudo as `becomeUser` (default root). */
export interface BecomeOptions {
  readonly become?: boolean;
  readonly becomeUser?: string;
}

export interface ExecOptions extends BecomeOptions {
  /** Bytes written to the command's standard input (never logged). */
  readonly stdin?: string | Buffer;
  readonly cwd?: string;
  /** Milliseconds before the command is abandoned and reported as failed. */
  readonly timeoutMs?: number;
}

export interface PutFileOptions extends BecomeOptions {
  /** Octal mode string such as "0644". */
  readonly mode?: string;
  readonly owner?: string;
  readonly group?: string;
}

export interface ConnectionStats {
  /** Transport sessions opened (an SSH handshake each). */
  connections: number;
  /** Commands executed, file transfers included. */
  commands: number;
  /** Milliseconds spent opening sessions (handshakes, a jump host's included). */
  connectMs: number;
  /** Milliseconds spent waiting on commands, from sending one to its exit status, summed over them. */
  commandMs: number;
}

/** Stats of a connection not used yet. */
export const noConnectionStats = (): ConnectionStats => ({ connections: 0, commands: 0, connectMs: 0, commandMs: 0 });

export interface Connection {
  /** Inventory name of the host this connection reaches. */
  readonly host: string;
  readonly stats: ConnectionStats;
  /** Opens the session; a failure here means the host is unreachable. */
  connect(): Promise<void>;
  /** Runs one POSIX shell command line. */
  exec(command: string, options?: ExecOptions): Promise<ExecResult>;
  /** Writes `content` to `remotePath` atomically (temp file in the same folder, then rename). */
  putFile(content: string | Buffer, remotePath: string, options?: PutFileOptions): Promise<void>;
  /** Reads a remote file whole. */
  fetchFile(remotePath: string, options?: BecomeOptions): Promise<Buffer>;
  close(): Promise<void>;
}

/** Raised when a host cannot be reached; the executor reports it as unreachable, not failed. */
export class UnreachableError extends Error {
  constructor(readonly host: string, message: string) {
    super(`${host}: unreachable: ${message}`);
    this.name = 'UnreachableError';
  }
}
