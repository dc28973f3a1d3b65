// Runs the etcdops command line as a user would, from the build (`npm test` builds first), and reads
// its JSON event stream.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../dist/bin/etcdops.js', import.meta.url));

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Starts the CLI and gives the process (to signal it) with its result to come. */
export interface CliOptions {
  readonly timeoutMs?: number;
  /** Added to (or, with an empty value, removed from) this process's environment. */
  readonly env?: Readonly<Record<string, string>>;
  /** Width of the pseudo-terminal (etcdopsInTerminal), 120 unless given; 0 is a terminal that reports none. */
  readonly columns?: number;
}

function environment(changes: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...changes };
  for (const [name, value] of Object.entries(changes)) if (value === '') delete env[name];
  return env;
}

/** Everything a started CLI prints, and how it ended (-1 when a signal ended it). */
function outputOf(child: ChildProcess): Promise<CliResult> {
  return new Promise<CliResult>((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? -1 : 0), stdout, stderr }));
  });
}

export function etcdopsProcess(args: readonly string[], options: CliOptions = {}): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], timeout: options.timeoutMs ?? 300_000, env: environment(options.env) });
  return { child, done: outputOf(child) };
}

/**
 * Starts the CLI inside a real pseudo-terminal (util-linux `script`), so it draws its terminal view; writing
 * "\x03" to `child.stdin` is a Ctrl-C typed at that terminal (the terminal sends SIGINT to the CLI).
 */
export function etcdopsInTerminal(args: readonly string[], options: CliOptions = {}): { child: ChildProcess; done: Promise<CliResult> } {
  const command = [process.execPath, MAIN, ...args].map((word) => `'${word.replace(/'/g, `'\\''`)}'`).join(' ');
  // The terminal `script` opens has no size (its own input is a pipe): give it one, or the view wraps every character.
  const child = spawn('script', ['-qefc', `stty cols ${options.columns ?? 120} rows 40 && exec ${command}`, '/dev/null'], {
    stdio: ['pipe', 'pipe', 'pipe'],
    timeout: options.timeoutMs ?? 300_000,
    env: environment({ TERM: 'xterm-256color', ...options.env }),
  });
  return { child, done: outputOf(child) };
}

export function etcdops(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  return etcdopsProcess(args, options).done;
}

export type JsonEvent = Record<string, any>;

export function jsonEvents(stdout: string): JsonEvent[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as JsonEvent);
}

export function recapOf(stdout: string): Record<string, { ok: number; changed: number; failed: number; unreachable: number; skipped: number }> {
  const recap = jsonEvents(stdout).find((e) => e.event === 'recap');
  if (!recap) throw new Error(`no recap in output:\n${stdout}`);
  return recap.hosts;
}

/** The PLAY RECAP of plain output, per host; throws when there is none. */
export function plainRecapOf(stdout: string): Record<string, { ok: number; changed: number; failed: number; unreachable: number }> {
  const start = stdout.lastIndexOf('PLAY RECAP');
  if (start < 0) throw new Error(`no PLAY RECAP in output:\n${stdout.slice(-2000)}`);
  const hosts: Record<string, { ok: number; changed: number; failed: number; unreachable: number }> = {};
  for (const line of stdout.slice(start).split('\n')) {
    const row = /^(\S+)\s+:\s+ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)/.exec(line);
    if (row) hosts[row[1]!] = { ok: Number(row[2]), changed: Number(row[3]), unreachable: Number(row[4]), failed: Number(row[5]) };
  }
  return hosts;
}

/** Resolves once the child's standard output has shown `pattern` (e.g. a task's start), so a signal is sent at a known moment. */
export function outputSeen(child: ChildProcess, pattern: RegExp, timeoutMs = 60_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`not seen within ${timeoutMs} ms: ${pattern}\n${seen.slice(-2000)}`)), timeoutMs);
    child.stdout!.on('data', (chunk: Buffer | string) => {
      // Terminal output: colours and cursor moves are not part of what is matched.
      seen += chunk.toString().replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
      if (pattern.test(seen)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}
