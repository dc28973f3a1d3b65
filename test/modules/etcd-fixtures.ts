// Test helper for the etcd modules' pure functions: an inventory of member hosts as a module context, and
// cluster health answers built from a few fields per member, the way checkClusterHealth reports them.
import type { ClusterHealth, MemberHealth } from '../../src/etcd/cluster-health.js';
import type { ModuleContext } from '../../src/modules/module.js';
import { moduleContext } from './module-context.js';

/** Host n<i> is at 10.0.0.<i>; extra host variables per host name. */
export function etcdContext(hosts: readonly string[], self = hosts[0]!, extra: Record<string, Record<string, unknown>> = {}, vars: Record<string, unknown> = {}): ModuleContext {
  const hostvars = Object.fromEntries(hosts.map((h) => [h, { ansible_host: `10.0.0.${h.replace(/\D/g, '')}`, ...extra[h] }]));
  return { ...moduleContext({ groups: { etcd: [...hosts] }, hostvars, ...hostvars[self], ...vars }), host: self };
}

export interface MemberSketch {
  readonly name: string;
  readonly learner?: boolean;
  readonly leader?: boolean;
  readonly started?: boolean;
  readonly healthy?: boolean;
  readonly raftIndex?: number | null;
  readonly id?: string;
  /** Alarms raised on the member; with no `error`, they alone make it unhealthy, as the health check reports it. */
  readonly alarms?: readonly string[];
  readonly error?: string;
}

export function member(s: MemberSketch): MemberHealth {
  const started = s.started ?? true;
  const address = `10.0.0.${s.name.replace(/\D/g, '')}`;
  return {
    name: started ? s.name : '',
    id: s.id ?? `${s.name}id`,
    peerURLs: [`https://${address}:2380`],
    clientURLs: started ? [`https://${address}:2379`] : [],
    isLearner: s.learner ?? false,
    started,
    healthy: s.healthy ?? (started && !s.alarms?.length && s.error === undefined),
    isLeader: s.leader ?? false,
    raftIndex: s.raftIndex === undefined ? 100 : s.raftIndex,
    raftAppliedIndex: null,
    raftTerm: 2,
    version: '3.5.16',
    dbSize: 20480,
    alarms: s.alarms ?? [],
    endpoint: started ? `https://${address}:2379` : null,
    error: s.error ?? (!started ? 'added but not started' : s.alarms?.length ? `alarm ${s.alarms.join(', ')}` : null),
  };
}

/** A cluster answer; pendingLearners lists every learner (by name, or ID before it starts), as the health check does. */
export function cluster(members: readonly MemberSketch[], problems: readonly string[] = []): ClusterHealth {
  const list = members.map(member);
  return {
    healthy: problems.length === 0,
    members: list,
    leaderId: list.find((m) => m.isLeader)?.id ?? null,
    problems,
    pendingLearners: list.filter((m) => m.isLearner).map((m) => m.name || m.id),
    checkedAt: '2024-01-01T00:00:00.000Z',
    durationMs: 5,
  };
}

/** The etcd role's member settings at their defaults, as the config template and its checks read them. */
export const ROLE_MEMBER_VARS: Readonly<Record<string, unknown>> = {
  etcd_data_dir: '/var/lib/etcd',
  etcd_pki_dir: '/etc/etcd/pki',
  etcd_cluster_token: 'etcd-etcd',
  etcd_quota_backend_bytes: 8589934592,
  etcd_auto_compaction_mode: 'periodic',
  etcd_auto_compaction_retention: '1h',
  etcd_heartbeat_interval: 100,
  etcd_election_timeout: 1000,
  etcd_client_port: 2379,
  etcd_peer_port: 2380,
  etcd_metrics_port: 2381,
  etcd_client_http_port: 2382,
  etcd_corrupt_check: true,
  etcd_corrupt_check_time_ns: 3600000000000,
};
