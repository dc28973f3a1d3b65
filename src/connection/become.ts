// Privilege escalation through sudo, as Ansible's `become`: the command runs in a fresh `sh -c`
// (the connections pass only a loader line here; the script itself comes on stdin, see script-on-stdin).
import { quote } from './shell-quote.js';

/** Wraps `command` so it runs as `becomeUser`; a no-op when already that user. */
export function withBecome(command: string, currentUser: string, become: boolean | undefined, becomeUser = 'root'): string {
  if (!become || currentUser === becomeUser) return command;
  return `sudo -n -H -u ${quote(becomeUser)} -- sh -c ${quote(command)}`;
}
