// A fingerprint of what a run could change on a host: names, modes, owners and contents of every file
// under /etc, /usr/local and /var/lib. Equal before and after proves a run changed nothing there.
import type { LabInfo } from '../../src/lab/lab.js';
import { sshRun } from './lab-fixture.js';

const SCRIPT = [
  'find /etc /usr/local /var/lib -xdev -printf "%p %y %m %u %g %s %l\\n" 2>/dev/null | sort',
  'find /etc /usr/local /var/lib -xdev -type f -print0 2>/dev/null | sort -z | xargs -0 sha256sum 2>/dev/null',
].join('; ');

export async function hostFingerprint(lab: LabInfo, host: string): Promise<string> {
  const result = await sshRun(lab, host, `{ ${SCRIPT}; } | sha256sum`);
  if (result.code !== 0) throw new Error(`fingerprint of ${host} failed: ${result.stderr}`);
  return result.stdout.trim();
}
