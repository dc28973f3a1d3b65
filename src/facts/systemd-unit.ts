// A systemd unit's state in one `systemctl show` call: active, enabled, loaded, and whether unit files
// changed since systemd last read them.
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
  readonly needDaemonReload: boolean;
}

export const systemdUnit = defineFact<{ readonly unit: string }, SystemdUnit>({
  name: 'systemd_unit',
  command: ({ unit }) => sh`systemctl show -p ActiveState,UnitFileState,LoadState,NeedDaemonReload -- ${unit}`.text,
  parse(result) {
    requireSuccess(result, 'reading the unit');
    const fields = new Map(
      result.stdout
        .split('\n')
        .filter((l) => l.includes('='))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as const),
    );
    return {
      activeState: fields.get('ActiveState') ?? '',
      unitFileState: fields.get('UnitFileState') ?? '',
      loadState: fields.get('LoadState') ?? '',
      needDaemonReload: fields.get('NeedDaemonReload') === 'yes',
    };
  },
});
