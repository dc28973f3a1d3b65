// Every module by name: one literal map, so adding a module is one file and one line here.
import { aptModule } from './apt.js';
import { assertModule } from './assert.js';
import { blockinfileModule } from './blockinfile.js';
import { commandModule } from './command.js';
import { configLoadedModule } from './config-loaded.js';
import { copyModule } from './copy.js';
import { dnfModule } from './dnf.js';
import { debugModule } from './debug.js';
import { etcdAlarmDisarmModule } from './etcd-alarm-disarm.js';
import { etcdAuthModule } from './etcd-auth.js';
import { etcdRunLockModule } from './etcd-run-lock.js';
import { etcdCertificatesModule } from './etcd-certificates.js';
import { etcdClientCertificateModule } from './etcd-client-certificate.js';
import { etcdClusterFactsModule } from './etcd-cluster-facts.js';
import { etcdConfigModule } from './etcd-config.js';
import { etcdCompactModule } from './etcd-compact.js';
import { etcdConfigCheckModule } from './etcd-config-check.js';
import { etcdDefragModule } from './etcd-defrag.js';
import { etcdFaultModule } from './etcd-fault.js';
import { etcdHealthModule } from './etcd-health.js';
import { etcdLeaderModule } from './etcd-leader.js';
import { etcdMemberModule } from './etcd-member.js';
import { etcdMemberReadyModule } from './etcd-member-ready.js';
import { etcdRestartModule } from './etcd-restart.js';
import { etcdRestartPendingModule } from './etcd-restart-pending.js';
import { etcdSpaceModule } from './etcd-space.js';
import { etcdUpgradeCheckModule } from './etcd-upgrade-check.js';
import { etcdDowngradeProtocolModule } from './etcd-downgrade-protocol.js';
import { etcdAdoptHostVarsModule } from './etcd-adopt-host-vars.js';
import { etcdAdoptReadModule } from './etcd-adopt-read.js';
import { etcdVersionGuardModule } from './etcd-version-guard.js';
import { failModule } from './fail.js';
import { etcdZoneSpreadModule } from './etcd-zone-spread.js';
import { fetchModule } from './fetch.js';
import { fileModule } from './file.js';
import { getUrlModule } from './get-url.js';
import { groupModule } from './group.js';
import { lineinfileModule } from './lineinfile.js';
import type { ModuleDefinition } from './module.js';
import { packageModule } from './package.js';
import { pauseModule } from './pause.js';
import { pingModule } from './ping.js';
import { rawModule } from './raw.js';
import { serviceModule } from './service.js';
import { setFactModule } from './set-fact.js';
import { setupModule } from './setup.js';
import { shellModule } from './shell.js';
import { statModule } from './stat.js';
import { systemdModule } from './systemd.js';
import { templateModule } from './template.js';
import { unarchiveModule } from './unarchive.js';
import { uriModule } from './uri.js';
import { userModule } from './user.js';
import { waitForModule } from './wait-for.js';

const byName = {
  apt: aptModule,
  assert: assertModule,
  blockinfile: blockinfileModule,
  command: commandModule,
  config_loaded: configLoadedModule,
  copy: copyModule,
  debug: debugModule,
  dnf: dnfModule,
  etcd_alarm_disarm: etcdAlarmDisarmModule,
  etcd_auth: etcdAuthModule,
  etcd_run_lock: etcdRunLockModule,
  etcd_certificates: etcdCertificatesModule,
  etcd_client_certificate: etcdClientCertificateModule,
  etcd_cluster_facts: etcdClusterFactsModule,
  etcd_config: etcdConfigModule,
  etcd_compact: etcdCompactModule,
  etcd_config_check: etcdConfigCheckModule,
  etcd_defrag: etcdDefragModule,
  etcd_fault: etcdFaultModule,
  etcd_health: etcdHealthModule,
  etcd_leader: etcdLeaderModule,
  etcd_member: etcdMemberModule,
  etcd_member_ready: etcdMemberReadyModule,
  etcd_restart: etcdRestartModule,
  etcd_restart_pending: etcdRestartPendingModule,
  etcd_space: etcdSpaceModule,
  etcd_upgrade_check: etcdUpgradeCheckModule,
  etcd_downgrade_protocol: etcdDowngradeProtocolModule,
  etcd_adopt_read: etcdAdoptReadModule,
  etcd_adopt_host_vars: etcdAdoptHostVarsModule,
  etcd_version_guard: etcdVersionGuardModule,
  fail: failModule,
  etcd_zone_spread: etcdZoneSpreadModule,
  fetch: fetchModule,
  file: fileModule,
  get_url: getUrlModule,
  group: groupModule,
  lineinfile: lineinfileModule,
  package: packageModule,
  pause: pauseModule,
  ping: pingModule,
  raw: rawModule,
  service: serviceModule,
  set_fact: setFactModule,
  setup: setupModule,
  shell: shellModule,
  stat: statModule,
  systemd: systemdModule,
  template: templateModule,
  unarchive: unarchiveModule,
  uri: uriModule,
  user: userModule,
  wait_for: waitForModule,
};

// `any` because each module has its own argument and fact types; callers validate args with the schema.
export const modules: ReadonlyMap<string, ModuleDefinition<any, any>> = new Map(Object.entries(byName));
