// Table-driven: etcd_config_check on the control node passes a member whose variables render a valid
// etcd.conf.yml and fails, naming the variable, for a hostile one; it never plans a change.
import assert from 'node:assert/strict';
import { etcdConfigCheckModule } from '../../src/modules/etcd-config-check.js';
import type { GatherContext } from '../../src/modules/module.js';
import { ROLE_MEMBER_VARS, etcdContext } from './etcd-fixtures.js';

const ROLE_VARS = { ...ROLE_MEMBER_VARS, etcd_version: '3.5.16' };

describe('etcd_config_check', () => {
  const rows: { readonly title: string; readonly vars?: Record<string, unknown>; readonly host?: Record<string, unknown>; readonly error?: RegExp }[] = [
    { title: 'the role defaults' },
    { title: 'a quote in the retention (-e)', vars: { etcd_auto_compaction_retention: "1h'x" }, error: /auto-compaction-retention \(from etcd_auto_compaction_retention\): "1h'x" is not a duration/ },
    { title: 'a newline in the retention (-e)', vars: { etcd_auto_compaction_retention: '1h\nclient-cert-auth: false' }, error: /from etcd_auto_compaction_retention\): .* control character/ },
    { title: "a member's address with a quote (host_vars)", host: { etcd_address: "10.0.0.1'" }, error: /listen-peer-urls \(from etcd_address, etcd_peer_port\)/ },
  ];
  for (const row of rows) {
    it(row.title, async () => {
      const ctx = etcdContext(['n1', 'n2'], 'n1', { n1: row.host ?? {} }, { ...ROLE_VARS, ...row.vars });
      const facts = await etcdConfigCheckModule.gather({}, ctx as GatherContext);
      if (row.error) assert.throws(() => etcdConfigCheckModule.plan({}, facts, ctx), row.error);
      else assert.deepEqual(etcdConfigCheckModule.plan({}, facts, ctx).changes, []);
    });
  }
});
