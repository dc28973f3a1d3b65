// A fingerprint of what a run could change on a host: names, modes, owners and contents of every file
// under /etc, /usr/local and /var/lib. Equal before and after proves a run changed nothing there.
import type { LabInfo } from '../../src/lab/lab.js';
import { sshRun } from './lab-fixture.js';

/** `exclude`: files a running service rewrites on its own (they are not the run's doing). */
export async function hostFingerprint(lab: LabInfo, host: string, exclude: readonly string[] = []): Promise<string> {
  const skip = exclude.map((path) => `-path ${path} -prune -o`).join(' ');
  const script = [
    `find /etc /usr/local /var/lib -xdev ${skip} -printf "%p %y %m %u %g %s %l\\n" 2>/dev/null | sort`,
    `find /etc /usr/local /var/lib -xdev ${skip} -type f -print0 2>/dev/null | sort -z | xargs -0 sha256sum 2>/dev/null`,
  ].join('; ');
  const result = await sshRun(lab, host, `{ ${script}; } | sha256sum`);
  if (result.code !== 0) throw new Error(`fingerprint of ${host} failed: ${result.stderr}`);
  return result.stdout.trim();
}
