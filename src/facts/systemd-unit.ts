// A systemd unit's state in one round trip: active, enabled, loaded, and whether unit files changed since
// systemd last read them, the unit's own or those of the units it triggers (a timer's service): a timer
// whose service file changed but was never reloaded would start the old service on its next run.
import { sh } from '../connection/shell-quote.js';
import { defineFact } from './fact.js';
import { requireSuccess } from './file-state.js';

export interface SystemdUnit {
  /** active, inactive, failed, activating, deactivating, reloading. */
  readonly activeState: string;
  /** enabled, disabled, static, masked, ... (empty when there is no unit file). */
  readonly unitFileState: string;
  /** loaded, not-found, masked, error. */
  readonly loadState: string;
  /** The unit's files, or those of a unit it triggers, changed on disk since systemd read them. */
  readonly needDaemonReload: boolean;
}

export const systemdUnit = defineFact<{ readonly unit: string }, SystemdUnit>({
  name: 'systemd_unit',
  // The triggered units (Triggers=, set for timers, paths and sockets) are shown after the unit itself,
  // each as its own block of Id and NeedDaemonReload. Triggers is read in the same systemctl as the rest:
  // each systemctl a no-op run starts costs the host about as much as the SSH command around it.
  command: ({ unit }) => sh`u=${unit}
s=$(systemctl show -p ActiveState,UnitFileState,LoadState,NeedDaemonReload,Triggers -- "$u") || exit
printf '%s\\n' "$s"
nl='
'
t="$nl$s"
case "$t" in *"\${nl}Triggers="*) t=\${t#*"\${nl}Triggers="}; t=\${t%%"$nl"*};; *) t=;; esac
if [ -n "$t" ]; then echo; systemctl show -p Id,NeedDaemonReload -- $t; fi`.text,
  parse(result) {
    requireSuccess(result, 'reading the unit');
    const [own = '', ...triggered] = result.stdout.split(/\n\s*\n/);
    const fields = new Map(
      own
        .split('\n')
        .filter((l) => l.includes('='))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as const),
    );
    return {
      activeState: fields.get('ActiveState') ?? '',
      unitFileState: fields.get('UnitFileState') ?? '',
      loadState: fields.get('LoadState') ?? '',
      needDaemonReload: fields.get('NeedDaemonReload') === 'yes' || triggered.some((block) => /^NeedDaemonReload=yes$/m.test(block)),
    };
  },
});
