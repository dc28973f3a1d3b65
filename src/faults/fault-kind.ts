// What one kind of fault is (after chaos-mesh's chaos kinds, but agentless): the shell that probes what the
// host has, a pure pre-flight verdict on those facts, the shell that injects it and the shell that clears
// it. The etcd_fault module wraps these with the rollback the host arms for itself (fault-script.ts).
import type { ShellCode } from '../connection/shell-quote.js';

/** Which etcd traffic a network fault touches. */
export enum FaultTraffic {
  /** Member-to-member traffic (the peer port): raft messages, snapshots. */
  PEER = 'peer',
  /** Client traffic (the client port): what applications and the control node send. */
  CLIENT = 'client',
  /** Both ports. */
  BOTH = 'both',
}

/** Which way packets are dropped by a partition or lost by a loss fault. */
export enum FaultDirection {
  /** Packets arriving at this member from the others. */
  IN = 'in',
  /** Packets this member sends to the others. */
  OUT = 'out',
  /** Both ways. */
  BOTH = 'both',
}

/** The arguments of every fault kind (each kind reads the ones it needs; the module's schema documents them). */
export interface FaultArgs {
  readonly kind: string;
  readonly action?: 'inject' | 'clear';
  readonly duration?: number;
  readonly unit?: string;
  readonly peers?: readonly string[];
  readonly traffic?: FaultTraffic;
  readonly direction?: FaultDirection;
  readonly client_port?: number;
  readonly peer_port?: number;
  readonly percent?: number;
  readonly delay_ms?: number;
  readonly jitter_ms?: number;
  readonly rate?: string;
  readonly interval?: number;
  readonly count?: number;
  readonly data_dir?: string;
  readonly leave_free_mib?: number;
  readonly allow_root_filesystem?: boolean;
  readonly io_mib?: number;
  readonly read_iops?: number;
  readonly write_iops?: number;
  readonly read_bps?: string;
  readonly write_bps?: string;
  readonly workers?: number;
  readonly memory_mib?: number;
  readonly cpu_quota?: string;
  readonly memory_max?: string;
}

/** What the probe printed, as `key=value` lines. */
export type FaultFacts = Readonly<Record<string, string>>;

export interface FaultKind {
  readonly name: string;
  /** One line: what the fault does and by which mechanism. */
  readonly description: string;
  /** False for a fault that is over once injected (kill): nothing to arm or clear. */
  readonly lasting: boolean;
  /** Reads what the fault needs, printing `key=value` lines; changes nothing. */
  probe(args: FaultArgs): ShellCode;
  /** Pure: why the fault cannot be injected on this host (a missing mechanism, an unsafe target), or undefined. */
  refusal(args: FaultArgs, facts: FaultFacts): string | undefined;
  /** Pure: the commands that inject the fault (after the rollback is armed). */
  inject(args: FaultArgs, facts: FaultFacts): ShellCode;
  /** Pure: the commands that undo it; each step harmless when already undone. */
  clear(args: FaultArgs, facts: FaultFacts): ShellCode;
  /** Pure: for faults that are a running load, the worker run as a transient unit bounded by the duration. */
  worker?(args: FaultArgs, facts: FaultFacts): ShellCode | undefined;
}

/** The systemd unit of etcd (default `etcd`). */
export const unitOf = (args: FaultArgs): string => `${args.unit ?? 'etcd'}.service`;
