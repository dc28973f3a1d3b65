// Every fault kind by name: one literal map, so adding a kind is one definition and one line here.
import { diskFillFault, ioLoadFault } from './disk-faults.js';
import type { FaultKind } from './fault-kind.js';
import { ioLatencyFault } from './io-latency-fault.js';
import { lossFault, partitionFault } from './packet-filter-faults.js';
import { killFault, pauseFault, restartLoopFault, stopFault } from './process-faults.js';
import { cpuFault, memoryFault } from './stress-faults.js';
import { bandwidthFault, delayFault } from './traffic-shaping-faults.js';

export const FAULT_KINDS = {
  kill: killFault,
  stop: stopFault,
  pause: pauseFault,
  restart_loop: restartLoopFault,
  partition: partitionFault,
  loss: lossFault,
  delay: delayFault,
  bandwidth: bandwidthFault,
  disk_fill: diskFillFault,
  io_load: ioLoadFault,
  io_latency: ioLatencyFault,
  cpu: cpuFault,
  memory: memoryFault,
} as const satisfies Record<string, FaultKind>;

export type FaultKindName = keyof typeof FAULT_KINDS;

export const FAULT_KIND_NAMES = Object.keys(FAULT_KINDS) as FaultKindName[];
