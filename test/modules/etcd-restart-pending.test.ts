// What etcd_restart_pending watches by default: every TLS file the shipped etcd.conf.yml names in
// etcd_pki_dir, so a certificate or CA put in place by a run that was killed before the restart is owed a
// restart on the next run.
import { deepStrictEqual } from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { processArgs } from '../../src/modules/etcd-restart-pending.js';
import { ROLE_MEMBER_VARS, etcdContext } from './etcd-fixtures.js';

const TEMPLATE = fileURLToPath(new URL('../../templates/etcd.conf.yml.hbs', import.meta.url));

describe('etcd_restart_pending defaults', () => {
  it('watches every file etcd.conf.yml names in etcd_pki_dir', () => {
    const named = [...readFileSync(TEMPLATE, 'utf8').matchAll(/'\{\{ etcd_pki_dir \}\}\/([\w.-]+)'/g)].map((m) => `/etc/etcd/pki/${m[1]}`);
    const watched = processArgs({}, etcdContext(['n1', 'n2', 'n3'], 'n1', {}, { ...ROLE_MEMBER_VARS, etcd_pki_dir: '/etc/etcd/pki' })).watched;
    deepStrictEqual([...new Set(watched)].sort(), [...new Set(named)].sort());
  });
});
