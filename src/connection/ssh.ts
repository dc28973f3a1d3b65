// The SSH transport (node-ssh): one session per host for the whole run, host keys checked against
// known_hosts, keepalives, an optional jump host, and atomic uploads in a single round trip.
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { NodeSSH, type Config } from 'node-ssh';
import { withBecome } from './become.js';
import { atomicWriteScript } from './atomic-write-script.js';
import { noConnectionStats, UnreachableError, type BecomeOptions, type Connection, type ConnectionStats, type ExecOptions, type ExecResult, type PutFileOptions } from './connection.js';
import { preferredHostKeyAlgorithms, verifyHostKey } from './known-hosts.js';
import type { SshSettings } from './ssh-settings.js';
import { UserError } from '../errors/user-error.js';
import { quote } from './shell-quote.js';
import { scriptOnStdin } from './script-on-stdin.js';

function parseJump(jump: string, fallbackUser: string): { user: string; address: string; port: number } {
  const match = /^(?:([^@]+)@)?(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(jump.split(',')[0]!.trim());
  if (!match) throw new UserError(`cannot read the jump host "${jump}": expected [user@]host[:port]`);
  return { user: match[1] ?? fallbackUser, address: match[2]!.replace(/^\[|\]$/g, ''), port: Number(match[3] ?? 22) };
}

/** The host-key algorithms ssh2 supports by default, in its order of preference. */
const HOST_KEY_ALGORITHMS = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
] as const;

export class SshConnection implements Connection {
  readonly stats: ConnectionStats = noConnectionStats();
  private ssh?: NodeSSH;
  private jumpSsh?: NodeSSH;
  private connecting?: Promise<void>;
  /** Settles with why the session ended (keepalives unanswered, reset), so a running command is not left waiting. */
  private lost?: Promise<never>;

  constructor(private readonly settings: SshSettings) {}

  get host(): string {
    return this.settings.host;
  }

  connect(): Promise<void> {
    this.connecting ??= this.open().catch((error: unknown) => {
      this.connecting = undefined;
      throw error;
    });
    return this.connecting;
  }

  /** The ssh2 config for one hop; `refused` records why a host key was rejected, for the error message. */
  private baseConfig(address: string, port: number, user: string): { config: Config; refused: { reason?: string } } {
    const s = this.settings;
    let privateKey: string | undefined;
    if (s.privateKeyFile) {
      try {
        privateKey = readFileSync(s.privateKeyFile, 'utf8');
      } catch {
        throw new UserError(`${s.host}: cannot read the private key file ${s.privateKeyFile} (ansible_ssh_private_key_file)`);
      }
    }
    const refused: { reason?: string } = {};
    const config: Config = {
      host: address,
      port,
      username: user,
      privateKey,
      agent: process.env.SSH_AUTH_SOCK,
      readyTimeout: s.connectTimeoutMs,
      keepaliveInterval: s.aliveIntervalMs,
      keepaliveCountMax: s.aliveCountMax,
      algorithms: { serverHostKey: preferredHostKeyAlgorithms(s.knownHostsFiles, address, port, HOST_KEY_ALGORITHMS) },
      hostVerifier: (key: Buffer) => {
        const verdict = verifyHostKey(s.knownHostsFiles, address, port, key, s.hostKeyChecking);
        refused.reason = verdict.reason;
        return verdict.ok;
      },
    };
    return { config, refused };
  }

  private async open(): Promise<void> {
    const s = this.settings;
    if (s.problem?.unreachable) throw new UnreachableError(s.host, s.problem.message);
    if (s.problem) throw new UserError(`${s.host}: ${s.problem.message}`);
    const target = this.baseConfig(s.address, s.port, s.user);
    if (s.jump) {
      const jump = parseJump(s.jump, s.user);
      this.jumpSsh = await this.handshake(this.baseConfig(jump.address, jump.port, jump.user), `jump host ${s.jump}`);
      try {
        target.config.sock = await this.jumpSsh.forwardOut('127.0.0.1', 0, s.address, s.port);
      } catch (error) {
        throw new UnreachableError(s.host, `through jump host ${s.jump}: ${(error as Error).message}`);
      }
    }
    this.ssh = await this.handshake(target, `ssh ${s.user}@${s.address}:${s.port}`);
    const session = this.ssh.connection!;
    this.lost = new Promise<never>((_, reject) => {
      const fail = (why: string) => reject(new UnreachableError(s.host, `connection lost: ${why}`));
      session.on('error', (error: Error) => fail(error.message));
      session.on('close', () => fail('the session closed'));
    });
    // Nobody may be waiting on it when the session ends between commands.
    this.lost.catch(() => undefined);
  }

  private async handshake(hop: ReturnType<SshConnection['baseConfig']>, label: string): Promise<NodeSSH> {
    const ssh = new NodeSSH();
    this.stats.connections++;
    const started = performance.now();
    try {
      await ssh.connect(hop.config);
    } catch (error) {
      throw new UnreachableError(this.settings.host, hop.refused.reason ?? `${label}: ${(error as Error).message}`);
    } finally {
      this.stats.connectMs += performance.now() - started;
    }
    return ssh;
  }

  async exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    await this.connect();
    this.stats.commands++;
    const started = performance.now();
    // The script travels on stdin: on the host's command lines (visible to every local user) only a loader.
    const framed = scriptOnStdin(command, options.stdin);
    const become = withBecome(framed.line, this.settings.user, options.become, options.becomeUser);
    // The remote side enforces the time limit too, so a command abandoned here does not run on.
    const line = options.timeoutMs ? `timeout -k 5 ${Math.ceil(options.timeoutMs / 1000)} sh -c ${quote(become)}` : become;
    const stdin = Readable.from([framed.stdin]);
    let timer: NodeJS.Timeout | undefined;
    const run = this.ssh!.execCommand(line, { cwd: options.cwd, stdin, noTrim: true });
    const timeout = new Promise<never>((_, reject) => {
      if (options.timeoutMs) {
        timer = setTimeout(() => reject(new UserError(`${this.host}: command timed out after ${options.timeoutMs} ms`)), options.timeoutMs);
      }
    });
    try {
      const result = await Promise.race([run, timeout, this.lost!]);
      return { stdout: result.stdout, stderr: result.stderr, code: result.code ?? -1 };
    } catch (error) {
      if (error instanceof UserError || error instanceof UnreachableError) throw error;
      throw new UnreachableError(this.host, `connection lost: ${(error as Error).message}`);
    } finally {
      clearTimeout(timer);
      this.stats.commandMs += performance.now() - started;
    }
  }

  async putFile(content: string | Buffer, remotePath: string, options: PutFileOptions = {}): Promise<void> {
    const result = await this.exec(String(atomicWriteScript(remotePath, options)), { stdin: content, become: options.become, becomeUser: options.becomeUser });
    if (result.code !== 0) {
      throw new UserError(`${this.host}: cannot write ${remotePath}: ${result.stderr.trim() || `exit ${result.code}`}`);
    }
  }

  async fetchFile(remotePath: string, options: BecomeOptions = {}): Promise<Buffer> {
    const result = await this.exec(`base64 < ${quote(remotePath)}`, { become: options.become, becomeUser: options.becomeUser });
    if (result.code !== 0) {
      throw new UserError(`${this.host}: cannot read ${remotePath}: ${result.stderr.trim() || `exit ${result.code}`}`);
    }
    return Buffer.from(result.stdout, 'base64');
  }

  async close(): Promise<void> {
    this.ssh?.dispose();
    this.jumpSsh?.dispose();
    this.ssh = undefined;
    this.jumpSsh = undefined;
    this.connecting = undefined;
    this.lost = undefined;
  }
}
