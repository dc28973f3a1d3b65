// Table tests of the owed-restart judgment: what the running member was started from against what its
// files say now, with the clock subtleties (a start known to the second only, a wall-clock step since).
import { deepStrictEqual, match, strictEqual } from 'node:assert/strict';
import type { EtcdProcess } from '../../src/facts/etcd-process.js';
import { parseEtcdProcess, parseSystemdTimestamp } from '../../src/facts/etcd-process.js';
import { changedSettings, effectiveStart, pendingRestartReasons } from '../../src/etcd/restart-pending.js';

const CONFIG = "name: 'n1'\ninitial-cluster-state: 'existing'\nquota-backend-bytes: 4294967296\n";
const START = 1_800_000_000;

/** A member started at START, running what its files say. */
const running: EtcdProcess = {
  activeState: 'active',
  mainPid: 42,
  startedAt: START + 0.5,
  startedAtCoarse: false,
  startedMonotonic: 100.5,
  now: START + 200,
  uptime: 300,
  needDaemonReload: false,
  exe: '/opt/etcd/etcd-v3.5.16-linux-amd64/etcd',
  linkTarget: '/opt/etcd/etcd-v3.5.16-linux-amd64/etcd',
  config: CONFIG,
  runningConfig: CONFIG,
  unitFiles: [{ path: '/etc/systemd/system/etcd.service', ctime: START - 10 }],
  watched: [{ path: '/etc/etcd/pki/server.crt', ctime: START - 10 }],
};

describe('pendingRestartReasons', () => {
  const rows: [name: string, change: Partial<EtcdProcess>, expected: RegExp[]][] = [
    ['runs what its files say', {}, []],
    ['not running: a start is not a restart', { activeState: 'inactive', mainPid: 0, config: 'quota-backend-bytes: 1\n' }, []],
    ['a setting changed since the start', { config: CONFIG.replace('4294967296', '8589934592') }, [/configuration changed since it started: quota-backend-bytes$/]],
    ['only bootstrap keys changed (etcd reads them from an empty data dir only)', { config: CONFIG.replace('existing', 'new') + "initial-cluster: 'n1=https://a:2380'\n" }, []],
    ['a setting added', { config: `${CONFIG}log-level: debug\n` }, [/: log-level$/]],
    ['started by an older unit, without a copy', { runningConfig: null }, [/without a recorded copy of its configuration/]],
    ['the link names another release', { linkTarget: '/opt/etcd/etcd-v3.5.17-linux-amd64/etcd' }, [/runs \/opt\/etcd\/etcd-v3\.5\.16-linux-amd64\/etcd, the link now names \/opt\/etcd\/etcd-v3\.5\.17/]],
    ['the binary it runs was replaced', { exe: '/opt/etcd/etcd-v3.5.16-linux-amd64/etcd (deleted)' }, [/\(deleted\), the link now names/]],
    ['the unit changed and systemd was not reloaded', { needDaemonReload: true, unitFiles: [{ path: '/etc/systemd/system/etcd.service', ctime: START + 1 }] }, [/unit file changed since systemd read it/, /etcd\.service changed at .*, after it started at/]],
    ['a certificate re-issued after the start', { watched: [{ path: '/etc/etcd/pki/server.crt', ctime: START + 0.6 }] }, [/server\.crt changed at 2027-01-15T08:00:00\.600Z, after it started at 2027-01-15T08:00:00\.500Z/]],
    ['a certificate written just before the start', { watched: [{ path: '/etc/etcd/pki/server.crt', ctime: START + 0.4 }] }, []],
    ['a start known to the second: a change within that second counts as later', { startedAt: START, startedAtCoarse: true, watched: [{ path: '/etc/etcd/pki/peer.key', ctime: START + 0.9 }] }, [/peer\.key changed/]],
    ['a start known to the second: an earlier second does not', { startedAt: START, startedAtCoarse: true, watched: [{ path: '/etc/etcd/pki/peer.key', ctime: START - 0.1 }] }, []],
    // The clock went back 60 s after the start; a certificate written since has a ctime before the recorded start.
    ['the clock stepped back after the start: a later change is still found', { now: START + 140, unitFiles: [{ path: '/etc/systemd/system/etcd.service', ctime: START - 100 }], watched: [{ path: '/etc/etcd/pki/ca.crt', ctime: START - 30 }] }, [/ca\.crt changed/]],
    ['no start time from systemd', { startedAt: null }, [/systemd does not say when it started/]],
  ];
  for (const [name, change, expected] of rows) {
    it(name, () => {
      const reasons = pendingRestartReasons({ ...running, ...change });
      strictEqual(reasons.length, expected.length, reasons.join('\n'));
      expected.forEach((re, i) => match(reasons[i]!, re));
    });
  }
});

describe('effectiveStart', () => {
  it('is the recorded start while the clock kept pace with the monotonic clock', () => strictEqual(effectiveStart(running), START + 0.5));
  it('is the earlier reading when the wall clock stepped forward or back', () => {
    strictEqual(effectiveStart({ ...running, now: START + 260 }), START + 0.5);
    strictEqual(effectiveStart({ ...running, now: START + 140 }), START - 59.5);
  });
});

describe('changedSettings', () => {
  it('compares parsed settings, not text', () => deepStrictEqual(changedSettings('a: 1\nb: [x]\n', "b: ['x']\na: 1\n"), []));
  it('names each changed key', () => deepStrictEqual(changedSettings('a: 1\nb: 2\n', 'a: 2\nc: 3\n'), ['a', 'b', 'c']));
  it('says when a side does not parse', () => deepStrictEqual(changedSettings('a: [\n', 'a: 1\n'), ['(the configuration does not parse)']));
});

describe('etcd_process fact parser', () => {
  const M = '@@etcdops-section ';
  const out = (runningConfig: string | null) =>
    [
      `${M}show`,
      'ActiveState=active',
      'MainPID=232',
      'NeedDaemonReload=no',
      'ExecMainStartTimestamp=Mon 2026-11-30 00:16:53.173204 UTC',
      'ExecMainStartTimestampMonotonic=373706144',
      'FragmentPath=/etc/systemd/system/etcd.service',
      'DropInPaths=',
      `${M}clock`,
      '1795997816.679878333',
      '377.21',
      `${M}exe`,
      '/opt/etcd/etcd-v3.5.16-linux-amd64/etcd',
      `${M}link`,
      '/opt/etcd/etcd-v3.5.16-linux-amd64/etcd',
      `${M}files`,
      'unit 1795997810.127939246 /etc/systemd/system/etcd.service',
      'watched 1795997800.5 /etc/etcd/pki/server.crt',
      `${M}config`,
      'quota-backend-bytes: 1',
      '',
      ...(runningConfig === null ? [`${M}running-config-absent`] : [`${M}running-config`, runningConfig, '']),
      `${M}end`,
      '',
    ].join('\n');

  it('reads the unit, the clock, the binaries, the change times and both configurations', () => {
    const p = parseEtcdProcess({ code: 0, stdout: out('quota-backend-bytes: 2'), stderr: '' });
    deepStrictEqual(
      [p.activeState, p.mainPid, p.startedAt, p.startedAtCoarse, p.startedMonotonic, p.now, p.uptime, p.exe, p.linkTarget],
      ['active', 232, 1795997813.173204, false, 373.706144, 1795997816.679878333, 377.21, '/opt/etcd/etcd-v3.5.16-linux-amd64/etcd', '/opt/etcd/etcd-v3.5.16-linux-amd64/etcd'],
    );
    deepStrictEqual(p.unitFiles, [{ path: '/etc/systemd/system/etcd.service', ctime: 1795997810.127939246 }]);
    deepStrictEqual(p.watched, [{ path: '/etc/etcd/pki/server.crt', ctime: 1795997800.5 }]);
    deepStrictEqual(changedSettings(p.config!, p.runningConfig!), ['quota-backend-bytes']);
  });
  it('knows a missing copy from an empty one', () => strictEqual(parseEtcdProcess({ code: 0, stdout: out(null), stderr: '' }).runningConfig, null));
  it('refuses output cut short', () => {
    let message = '';
    try {
      parseEtcdProcess({ code: 0, stdout: out(null).replace(`${M}end`, ''), stderr: '' });
    } catch (error) {
      message = (error as Error).message;
    }
    match(message, /unexpected output/);
  });
  it('reads systemd timestamps with and without microseconds', () => {
    deepStrictEqual(parseSystemdTimestamp('Mon 2026-11-30 00:16:53.173204 UTC'), { at: 1795997813.173204, coarse: false });
    deepStrictEqual(parseSystemdTimestamp('Mon 2026-11-30 00:16:53 UTC'), { at: 1795997813, coarse: true });
    strictEqual(parseSystemdTimestamp('n/a'), null);
  });
});
