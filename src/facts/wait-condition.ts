// Whether a TCP port answers or a path exists on a host, probed from the host itself with POSIX sh
// (bash's /dev/tcp when bash is there, else the kernel's table of listening sockets for local ports).
import { ShellCode, sh } from '../connection/shell-quote.js';
import { defineFact } from './fact.js';
import { requireSuccess } from './file-state.js';

export interface WaitTarget {
  readonly path?: string;
  readonly port?: number;
  /** Address probed for a port; default 127.0.0.1. */
  readonly host?: string;
}

/** Shell code that exits 0 when the target is there (port accepting, or path existing). */
export function probeScript(target: WaitTarget): ShellCode {
  if (target.path !== undefined) return sh`[ -e ${target.path} ]`;
  if (target.port === undefined) throw new Error('wait_for: give a port or a path');
  const host = target.host ?? '127.0.0.1';
  const hex = `:${target.port.toString(16).toUpperCase().padStart(4, '0')} `;
  // The /proc fallback only knows local listeners, which is what a host without bash can check.
  return sh`if command -v bash >/dev/null 2>&1; then timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/$1"' ${host} ${target.port} 2>/dev/null; else cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | grep -q ${`${hex}[0-9A-F]*:0000 0A `}; fi`;
}

export const waitCondition = defineFact<WaitTarget, boolean>({
  name: 'wait_condition',
  command: (target) => sh`if ${probeScript(target)}; then echo up; else echo down; fi`.text,
  parse(result) {
    requireSuccess(result, 'probing');
    return result.stdout.trim() === 'up';
  },
});
