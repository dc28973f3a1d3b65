// Table-driven plans: {module, args, facts} → the expected changes (action, target, reason), or a failure.
import assert from 'node:assert/strict';
import { modules } from '../../src/modules/registry.js';
import { ChangeAction } from '../../src/plan/change.js';
import { moduleContext } from './module-context.js';

const A = ChangeAction;
const dir = { type: 'directory', owner: 'root', group: 'root', uid: 0, gid: 0, mode: '0755' };
const file = (content: string, sha256: string, mode = '0644') => ({ type: 'file', owner: 'root', group: 'root', uid: 0, gid: 0, mode, content, sha256 });
const SHA_ONE = 'e32ef4ea7f3e3e2a0e3fbe0cfb5aac5e0e3ac4ed0c3ec7f8acb6e0a7d2ce0a8c';
const unit = (activeState: string, unitFileState: string, loadState = 'loaded', needDaemonReload = false) => ({ activeState, unitFileState, loadState, needDaemonReload });
const user = { exists: true, uid: 999, gid: 999, group: 'etcd', groups: ['ssl-cert'], home: '/var/lib/etcd', shell: '/usr/sbin/nologin' };

interface Row {
  readonly module: string;
  readonly args: Record<string, unknown>;
  readonly facts: unknown;
  readonly vars?: Record<string, unknown>;
  /** [action, target, reason pattern] per change; [] for a no-op. */
  readonly changes?: readonly [ChangeAction, string, RegExp][];
  readonly fails?: RegExp;
  readonly result?: Record<string, unknown>;
}

const rows: Row[] = [
  { module: 'file', args: { path: '/d', state: 'directory' }, facts: { type: 'absent' }, changes: [[A.CREATE, '/d', /does not exist/]] },
  { module: 'file', args: { path: '/d', state: 'directory', mode: '0755' }, facts: dir, changes: [] },
  { module: 'file', args: { path: '/d', state: 'directory', owner: 'etcd', mode: '0700' }, facts: dir, changes: [[A.UPDATE, '/d', /^owner root → etcd, mode 0755 → 0700$/]] },
  { module: 'file', args: { path: '/d', state: 'directory', owner: '0' }, facts: dir, changes: [] },
  { module: 'file', args: { path: '/d', state: 'directory' }, facts: file('', SHA_ONE), fails: /exists as a file/ },
  { module: 'file', args: { path: '/f' }, facts: { type: 'absent' }, fails: /state: touch/ },
  { module: 'file', args: { path: '/f', state: 'touch' }, facts: file('', SHA_ONE), changes: [[A.UPDATE, '/f', /^access and modification time set to now$/]] },
  { module: 'file', args: { path: '/f', state: 'touch', access_time: 'preserve', modification_time: 'preserve' }, facts: file('', SHA_ONE), changes: [] },
  { module: 'file', args: { path: '/f', state: 'absent' }, facts: file('', SHA_ONE), changes: [[A.DELETE, '/f', /file exists/]] },
  { module: 'file', args: { path: '/f', state: 'absent' }, facts: { type: 'absent' }, changes: [] },
  { module: 'file', args: { path: '/l', state: 'link', src: '/x' }, facts: { ...dir, type: 'link', linkTarget: '/x' }, changes: [] },
  { module: 'file', args: { path: '/l', state: 'link', src: '/y' }, facts: { ...dir, type: 'link', linkTarget: '/x' }, changes: [[A.REPLACE, '/l', /points to \/x, not \/y/]] },
  { module: 'file', args: { path: '/l', state: 'link' }, facts: { type: 'absent' }, fails: /needs src/ },
  { module: 'file', args: { path: '/f', mode: 'u+x' }, facts: file('', SHA_ONE), fails: /not an octal mode/ },
  { module: 'copy', args: { content: 'one\n', dest: '/c' }, facts: { content: Buffer.from('one\n'), dest: { type: 'absent' } }, changes: [[A.CREATE, '/c', /does not exist/]] },
  { module: 'copy', args: { content: 'two\n', dest: '/c' }, facts: { content: Buffer.from('two\n'), dest: file('one\n', SHA_ONE) }, changes: [[A.REPLACE, '/c', /^content differs/]] },
  { module: 'copy', args: { content: 'x', dest: '/c' }, facts: { content: Buffer.from('x'), dest: dir }, fails: /is a directory/ },
  {
    module: 'copy',
    args: { content: 'x', dest: '/c', mode: '0600' },
    facts: { content: Buffer.from('x'), dest: file('x', '2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881') },
    changes: [[A.UPDATE, '/c', /^mode 0644 → 0600$/]],
  },
  {
    module: 'copy',
    args: { content: 'x', dest: '/c' },
    facts: { content: Buffer.from('x'), dest: file('x', '2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881') },
    changes: [],
  },
  {
    module: 'template',
    args: { src: 't.hbs', dest: '/t' },
    vars: { name: 'n1' },
    facts: { content: Buffer.from('name=n1'), dest: { type: 'absent' } },
    changes: [[A.CREATE, '/t', /does not exist/]],
  },
  { module: 'command', args: { cmd: 'etcdctl member list' }, facts: {}, changes: [[A.RUN, 'etcdctl member list', /always runs/]] },
  { module: 'command', args: { cmd: 'init', creates: '/done' }, facts: { '/done': true }, changes: [] },
  { module: 'command', args: { cmd: 'init', creates: '/done' }, facts: { '/done': false }, changes: [[A.RUN, 'init', /\/done does not exist/]] },
  { module: 'shell', args: { cmd: 'rm x', removes: '/x' }, facts: { '/x': false }, changes: [] },
  { module: 'command', args: { argv: ['echo', 'a b'] }, facts: {}, changes: [[A.RUN, "echo 'a b'", /always runs/]] },
  { module: 'command', args: {}, facts: {}, fails: /no command/ },
  { module: 'systemd', args: { name: 'etcd', state: 'started', enabled: true }, facts: unit('active', 'enabled'), changes: [] },
  {
    module: 'systemd',
    args: { name: 'etcd', state: 'started', enabled: true, daemon_reload: true },
    facts: unit('inactive', 'disabled', 'loaded', true),
    changes: [
      [A.RUN, 'systemd', /unit files changed/],
      [A.UPDATE, 'etcd.service', /unit is disabled/],
      [A.UPDATE, 'etcd.service', /unit is inactive/],
    ],
  },
  { module: 'systemd', args: { name: 'etcd', state: 'started' }, facts: unit('inactive', '', 'not-found'), changes: [[A.UPDATE, 'etcd.service', /not found yet/]] },
  {
    module: 'systemd',
    args: { name: 'prometheus', state: 'started', restart_if_changed: true },
    facts: { ...unit('active', 'enabled'), changedSinceStart: ['/etc/systemd/system/prometheus.service changed at 2026-11-30T09:00:00.000Z, after it started at 2026-11-30T08:00:00.000Z'] },
    changes: [[A.UPDATE, 'prometheus.service', /runs what it read before a change: \/etc\/systemd\/system\/prometheus\.service changed/]],
  },
  { module: 'systemd', args: { name: 'prometheus', state: 'started', restart_if_changed: true }, facts: { ...unit('active', 'enabled'), changedSinceStart: [] }, changes: [] },
  { module: 'systemd', args: { name: 'prometheus', state: 'started', restart_if_changed: true }, facts: { ...unit('inactive', 'enabled'), changedSinceStart: [] }, changes: [[A.UPDATE, 'prometheus.service', /unit is inactive/]] },
  { module: 'systemd', args: { name: 'etcd.socket', state: 'stopped', enabled: false }, facts: unit('failed', 'disabled'), changes: [] },
  { module: 'systemd', args: { name: 'etcd', state: 'stopped' }, facts: unit('active', 'enabled'), changes: [[A.UPDATE, 'etcd.service', /unit is active/]] },
  { module: 'systemd', args: { name: 'etcd', state: 'restarted' }, facts: unit('active', 'enabled'), changes: [[A.UPDATE, 'etcd.service', /restart requested/]] },
  { module: 'systemd', args: { name: 'etcd', masked: true }, facts: unit('inactive', 'enabled'), changes: [[A.UPDATE, 'etcd.service', /not masked/]] },
  { module: 'systemd', args: { name: 'etcd', masked: false }, facts: unit('inactive', 'masked', 'masked'), changes: [[A.UPDATE, 'etcd.service', /is masked/]] },
  { module: 'systemd', args: { daemon_reload: true }, facts: undefined, changes: [[A.RUN, 'systemd', /unconditionally/]] },
  { module: 'user', args: { name: 'etcd', system: true }, facts: { exists: false }, changes: [[A.CREATE, 'user etcd', /does not exist/]] },
  { module: 'user', args: { name: 'etcd', home: '/var/lib/etcd', shell: '/usr/sbin/nologin', group: 'etcd' }, facts: user, changes: [] },
  { module: 'user', args: { name: 'etcd', groups: 'ssl-cert' }, facts: user, changes: [] },
  { module: 'user', args: { name: 'etcd', groups: ['docker'] }, facts: user, changes: [[A.UPDATE, 'user etcd', /^groups ssl-cert → docker$/]] },
  { module: 'user', args: { name: 'etcd', groups: ['docker'], append: true }, facts: user, changes: [[A.UPDATE, 'user etcd', /^groups ssl-cert → docker,ssl-cert$/]] },
  { module: 'user', args: { name: 'etcd', groups: ['ssl-cert'], append: true }, facts: user, changes: [] },
  { module: 'user', args: { name: 'etcd', uid: 1001, shell: '/bin/sh', group: '999' }, facts: user, changes: [[A.UPDATE, 'user etcd', /^uid 999 → 1001, shell \/usr\/sbin\/nologin → \/bin\/sh$/]] },
  { module: 'user', args: { name: 'etcd', state: 'absent' }, facts: user, changes: [[A.DELETE, 'user etcd', /exists/]] },
  { module: 'user', args: { name: 'etcd', state: 'absent' }, facts: { exists: false }, changes: [] },
  { module: 'group', args: { name: 'etcd' }, facts: { exists: false }, changes: [[A.CREATE, 'group etcd', /does not exist/]] },
  { module: 'group', args: { name: 'etcd', gid: 999 }, facts: { exists: true, gid: 999 }, changes: [] },
  { module: 'group', args: { name: 'etcd', gid: 1000 }, facts: { exists: true, gid: 999 }, changes: [[A.UPDATE, 'group etcd', /^gid 999 → 1000$/]] },
  { module: 'group', args: { name: 'etcd', state: 'absent' }, facts: { exists: true, gid: 999 }, changes: [[A.DELETE, 'group etcd', /exists/]] },
  { module: 'get_url', args: { url: 'http://h/e.tgz', dest: '/e.tgz' }, facts: { dest: { type: 'absent' } }, changes: [[A.CREATE, '/e.tgz', /does not exist/]] },
  { module: 'get_url', args: { url: 'http://h/e.tgz', dest: '/e.tgz' }, facts: { dest: file('', SHA_ONE) }, changes: [] },
  { module: 'get_url', args: { url: 'http://h/e.tgz', dest: '/e.tgz', checksum: `sha256:${SHA_ONE}` }, facts: { dest: file('', SHA_ONE) }, changes: [] },
  { module: 'get_url', args: { url: 'http://h/e.tgz', dest: '/e.tgz', checksum: `sha256:${'b'.repeat(64)}` }, facts: { dest: file('', SHA_ONE) }, changes: [[A.REPLACE, '/e.tgz', /not the expected bbbb/]] },
  {
    module: 'get_url',
    args: { url: 'http://h/v1/e.tgz', dest: '/e.tgz', checksum: 'sha256:http://h/v1/SHA256SUMS' },
    facts: { dest: file('', SHA_ONE), checksumList: `${'c'.repeat(64)}  other.tgz\n${SHA_ONE} *./e.tgz\n` },
    changes: [],
    result: { url: 'http://h/v1/e.tgz', dest: '/e.tgz', checksum: SHA_ONE },
  },
  { module: 'get_url', args: { url: 'http://h/e.tgz', dest: '/e.tgz', checksum: 'sha256:http://h/S' }, facts: { dest: { type: 'absent' }, checksumList: '' }, fails: /no line for e.tgz/ },
  { module: 'get_url', args: { url: 'http://h/e.tgz', dest: '/e.tgz', checksum: 'md5:abc' }, facts: { dest: { type: 'absent' } }, fails: /only sha256/ },
  { module: 'unarchive', args: { src: '/a.tgz', dest: '/opt', creates: '/opt/x' }, facts: { created: true, archive: true, members: 0, missing: [] }, changes: [] },
  { module: 'unarchive', args: { src: '/a.tgz', dest: '/opt', remote_src: true }, facts: { archive: false, members: 0, missing: [] }, changes: [[A.CREATE, '/opt', /not on the host yet/]] },
  { module: 'unarchive', args: { src: '/a.tgz', dest: '/opt' }, facts: { archive: true, members: 3, missing: ['x/b'] }, changes: [[A.UPDATE, '/opt', /^1 of 3 archive members missing$/]] },
  { module: 'unarchive', args: { src: '/a.tgz', dest: '/opt' }, facts: { archive: true, members: 3, missing: [] }, changes: [] },
  { module: 'wait_for', args: { port: 2379 }, facts: true, changes: [] },
  { module: 'wait_for', args: { port: 2379 }, facts: false, changes: [[A.RUN, 'port 127.0.0.1:2379', /is open/]] },
  { module: 'wait_for', args: { path: '/p', state: 'absent' }, facts: true, changes: [[A.RUN, 'path /p', /is absent/]] },
  { module: 'wait_for', args: { path: '/p', state: 'absent' }, facts: false, changes: [] },
  { module: 'assert', args: { that: ['ok', 'also'] }, vars: { ok: true, also: 1 }, facts: undefined, changes: [], result: { msg: 'All assertions passed' } },
  { module: 'assert', args: { that: 'ok', fail_msg: 'not ok' }, vars: { ok: false }, facts: undefined, fails: /^not ok$/ },
  { module: 'debug', args: { var: 'r.stdout' }, vars: { r: { stdout: 'hi' } }, facts: undefined, changes: [], result: { 'r.stdout': 'hi' } },
  { module: 'debug', args: { var: 'nope' }, facts: undefined, changes: [], result: { nope: 'VARIABLE IS NOT DEFINED!' } },
  { module: 'debug', args: { msg: 'hello' }, facts: undefined, changes: [], result: { msg: 'hello' } },
  { module: 'set_fact', args: { leader: 'n1', size: 3 }, facts: undefined, changes: [], result: { ansible_facts: { leader: 'n1', size: 3 } } },
  // Ansible 2.14's set_fact turns the strings true/false/yes/no (any case, nothing around them) into booleans.
  {
    module: 'set_fact',
    args: { a: 'yes', b: 'No', c: 'True', d: 'on', e: '1', f: ' yes', g: 'FALSE' },
    facts: undefined,
    changes: [],
    result: { ansible_facts: { a: true, b: false, c: true, d: 'on', e: '1', f: ' yes', g: false } },
  },
  { module: 'fetch', args: { src: '/ca.crt', dest: 'out' }, facts: { remote: file('', SHA_ONE), localSha256: null }, changes: [[A.CREATE, 'control node: out/localhost/ca.crt', /no local copy/]] },
  { module: 'fetch', args: { src: '/ca.crt', dest: 'ca.crt', flat: true }, facts: { remote: file('', SHA_ONE), localSha256: SHA_ONE }, changes: [] },
  { module: 'fetch', args: { src: '/ca.crt', dest: 'ca.crt', flat: true }, facts: { remote: file('', SHA_ONE), localSha256: 'f'.repeat(64) }, changes: [[A.REPLACE, 'control node: ca.crt', /differs/]] },
  { module: 'fetch', args: { src: '/ca.crt', dest: 'o' }, facts: { remote: { type: 'absent' }, localSha256: null }, fails: /does not exist on localhost/ },
  { module: 'fetch', args: { src: '/ca.crt', dest: 'o', fail_on_missing: false }, facts: { remote: { type: 'absent' }, localSha256: null }, changes: [] },
];

describe('module plans', () => {
  for (const row of rows) {
    it(`${row.module} ${JSON.stringify(row.args)} → ${row.fails ? `fails ${row.fails}` : `${row.changes?.length} change(s)`}`, () => {
      const module = modules.get(row.module);
      assert.ok(module, `module ${row.module} is registered`);
      const plan = () => module.plan(row.args, row.facts, moduleContext(row.vars ?? {}));
      if (row.fails) {
        assert.throws(plan, (e: Error) => e.name === 'TaskFailure' && (row.fails as RegExp).test(e.message));
        return;
      }
      const result = plan();
      assert.equal(result.changes.length, row.changes?.length, JSON.stringify(result.changes));
      row.changes?.forEach(([action, target, reason], i) => {
        assert.equal(result.changes[i].action, action);
        assert.equal(result.changes[i].target, target);
        assert.match(result.changes[i].reason, reason);
      });
      if (!result.changes.length) assert.ok(result.reason, 'a no-op says why');
      if (row.result) assert.deepEqual(result.result, row.result);
      assert.doesNotThrow(() => JSON.stringify(result), 'plans are JSON-serialisable');
    });
  }
});
