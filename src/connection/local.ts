// A connection to the control node itself, for `delegate_to: localhost` and for tests: commands run
// through /bin/sh (the script on its stdin), privilege through sudo only when not already root.
import { spawn } from 'node:child_process';
import { noConnectionStats, type BecomeOptions, type Connection, type ConnectionStats, type ExecOptions, type ExecResult, type PutFileOptions } from './connection.js';
import { atomicWriteScript } from './atomic-write-script.js';
import { sh } from './shell-quote.js';
import { scriptOnStdin } from './script-on-stdin.js';

interface RawResult {
  readonly stdout: Buffer;
  readonly stderr: Buffer;
  readonly code: number;
}

export class LocalConnection implements Connection {
  readonly stats: ConnectionStats = noConnectionStats();

  constructor(readonly host = 'localhost') {}

  async connect(): Promise<void> {
    this.stats.connections++;
  }

  async exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    const raw = await this.run(command, options);
    return { stdout: raw.stdout.toString('utf8'), stderr: raw.stderr.toString('utf8'), code: raw.code };
  }

  async putFile(content: string | Buffer, remotePath: string, options: PutFileOptions = {}): Promise<void> {
    const script = atomicWriteScript(remotePath, options);
    const result = await this.run(script.text, { stdin: content, become: options.become, becomeUser: options.becomeUser });
    if (result.code !== 0) {
      throw new Error(`${this.host}: cannot write ${remotePath}: ${result.stderr.toString('utf8').trim()}`);
    }
  }

  async fetchFile(remotePath: string, options: BecomeOptions = {}): Promise<Buffer> {
    const result = await this.run(sh`cat -- ${remotePath}`.text, { become: options.become, becomeUser: options.becomeUser });
    if (result.code !== 0) {
      throw new Error(`${this.host}: cannot read ${remotePath}: ${result.stderr.toString('utf8').trim()}`);
    }
    return result.stdout;
  }

  async close(): Promise<void> {}

  /** Spawns the shell (under sudo when privilege is asked for and not already held) and collects bytes. */
  private async run(command: string, options: ExecOptions): Promise<RawResult> {
    this.stats.commands++;
    const started = performance.now();
    try {
      return await this.spawnShell(command, options);
    } finally {
      this.stats.commandMs += performance.now() - started;
    }
  }

  private spawnShell(command: string, options: ExecOptions): Promise<RawResult> {
    const user = options.becomeUser ?? 'root';
    const isRoot = process.getuid?.() === 0;
    const needsSudo = options.become === true && !(isRoot && user === 'root');
    // The script travels on stdin, so other users' `ps` shows only the loader line.
    const framed = scriptOnStdin(command, options.stdin);
    const [file, args] = needsSudo
      ? ['sudo', ['-n', '-H', '-u', user, '--', '/bin/sh', '-c', framed.line]]
      : ['/bin/sh', ['-c', framed.line]];
    return new Promise((resolve, reject) => {
      const child = spawn(file, args, { cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      let timedOut = false;
      const timer = options.timeoutMs
        ? setTimeout(() => {
            timedOut = true;
            child.kill('SIGKILL');
          }, options.timeoutMs)
        : undefined;
      child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
      child.on('error', (error) => {
        if (timer) clearTimeout(timer);
        reject(error);
      });
      child.on('close', (code) => {
        if (timer) clearTimeout(timer);
        const err = Buffer.concat(stderr);
        resolve({
          stdout: Buffer.concat(stdout),
          stderr: timedOut ? Buffer.concat([err, Buffer.from(`timed out after ${options.timeoutMs} ms\n`)]) : err,
          code: code ?? -1,
        });
      });
      // A command that never reads its input must not fail the run with EPIPE.
      child.stdin.on('error', () => {});
      child.stdin.end(framed.stdin);
    });
  }
}
