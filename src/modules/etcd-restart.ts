// etcd_restart: restarts this member (after a daemon-reload) and verifies it now runs what its files say;
// the plan carries why the restart is owed, as judged on the host, so `plan` after an interrupted run
// names the members still running an old configuration and the reason. Use it behind the health gate,
// one member at a time (playbooks/roles/etcd/tasks/restart.yml).
import { sh } from '../connection/shell-quote.js';
import { etcdProcess, parseEtcdProcess } from '../facts/etcd-process.js';
import { pendingRestartReasons } from '../etcd/restart-pending.js';
import { ChangeAction } from '../plan/change.js';
import { type EtcdRestartPendingArgs, processArgs, processProperties } from './etcd-restart-pending.js';
import { defineModule } from './module.js';

export const etcdRestartModule = defineModule<EtcdRestartPendingArgs, string[]>({
  name: 'etcd_restart',
  description: 'Restart this etcd member (daemon-reload first) and verify it then runs its binary, configuration, unit and TLS files; the plan says why the restart is owed.',
  schema: { type: 'object', additionalProperties: false, properties: processProperties },
  example: `- name: etcd restarted
  etcd_restart:
`,
  idempotent: false,
  gather: async (args, ctx) => pendingRestartReasons(await ctx.facts.read(etcdProcess, processArgs(args, ctx))),
  plan(args, reasons, ctx) {
    // Under --check the files an earlier task would write are still the old ones: the restart is owed to that task.
    const reason = reasons.length > 0 ? `restart owed: ${reasons.join('; ')}` : 'restart for the changes made earlier in this run';
    // A restart is an action, not a state: no before and after to show as a diff.
    return { changes: [{ action: ChangeAction.UPDATE, target: processArgs(args, ctx).unit, reason }] };
  },
  async apply(args, _plan, ctx) {
    const read = processArgs(args, ctx);
    const restart = await ctx.connection.exec(sh`systemctl daemon-reload && systemctl restart -- ${read.unit}`.text, { become: ctx.become });
    if (restart.code !== 0) {
      return { changed: true, failed: true, msg: `systemctl restart ${read.unit} failed on ${ctx.host}: ${restart.stderr.trim() || `exit ${restart.code}`}; see journalctl -u ${read.unit}` };
    }
    const after = parseEtcdProcess(await ctx.connection.exec(etcdProcess.command(read), { become: ctx.become }));
    const left = pendingRestartReasons(after);
    if (left.length > 0) return { changed: true, failed: true, msg: `${read.unit} restarted on ${ctx.host} but still does not run what its files say: ${left.join('; ')}` };
    return { changed: true, result: { pid: after.mainPid, started_at: after.startedAt } };
  },
});
