// apt, dnf and package as tables: {module, args, facts} → the planned changes or the failure, the version
// facts parsed from the gathering command's output, and `changed` read from the apply script's probes.
import assert from 'node:assert/strict';
import { type PackageFacts, parsePackageFacts } from '../../src/facts/package-versions.js';
import { packageScript, readPackageScriptOutput, versionMatches } from '../../src/modules/package-plan.js';
import { modules } from '../../src/modules/registry.js';
import { ChangeAction } from '../../src/plan/change.js';
import { moduleContext } from './module-context.js';

const A = ChangeAction;
const NOW = 1_800_000_000;

function apt(packages: PackageFacts['packages'], cacheAge = 60): PackageFacts {
  return { available: ['apt'], manager: 'apt', now: NOW, cacheUpdatedAt: NOW - cacheAge, packages };
}

interface Row {
  readonly module: string;
  readonly args: Record<string, unknown>;
  readonly facts: PackageFacts;
  readonly vars?: Record<string, unknown>;
  /** [action, target, reason pattern] per change; [] for a no-op. */
  readonly changes?: readonly [ChangeAction, string, RegExp][];
  readonly fails?: RegExp;
}

const hello = { candidate: '2.10-3' };
const rows: Row[] = [
  { module: 'apt', args: { name: 'hello' }, facts: apt({ hello }), changes: [[A.CREATE, 'package hello', /not installed/]] },
  { module: 'apt', args: { name: 'hello' }, facts: apt({ hello: { installed: '2.10-3', candidate: '2.10-3' } }), changes: [] },
  { module: 'apt', args: { name: 'hello, sl' }, facts: apt({ hello, sl: { installed: '5.02' } }), changes: [[A.CREATE, 'package hello', /not installed/]] },
  { module: 'apt', args: { name: 'p', state: 'latest' }, facts: apt({ p: { installed: '1.0', candidate: '1.1' } }), changes: [[A.UPDATE, 'package p', /1\.0 is installed/]] },
  { module: 'apt', args: { name: 'p', state: 'latest' }, facts: apt({ p: { installed: '1.1', candidate: '1.1' } }), changes: [] },
  { module: 'apt', args: { name: 'p', state: 'present' }, facts: apt({ p: { installed: '1.0', candidate: '1.1' } }), changes: [] },
  { module: 'apt', args: { name: 'p=1.0' }, facts: apt({ p: { installed: '1.1', candidate: '1.1' } }), changes: [[A.UPDATE, 'package p', /1\.1 is installed/]] },
  { module: 'apt', args: { name: 'p=1.*' }, facts: apt({ p: { installed: '1.1', candidate: '1.1' } }), changes: [] },
  { module: 'apt', args: { name: 'p=1.0', state: 'latest' }, facts: apt({ p: {} }), fails: /a version cannot be combined with state: latest/ },
  { module: 'apt', args: { name: 'nope' }, facts: apt({ nope: {} }), fails: /: No package matching 'nope' is available$/ },
  // After a planned refresh the package may exist: apt decides then.
  { module: 'apt', args: { name: 'nope', update_cache: true }, facts: apt({ nope: {} }), changes: [[A.RUN, 'apt package lists', /update_cache/], [A.CREATE, 'package nope', /not installed/]] },
  { module: 'apt', args: { name: 'hello', state: 'absent' }, facts: apt({ hello: { installed: '2.10-3' } }), changes: [[A.DELETE, 'package hello', /2\.10-3 is installed/]] },
  { module: 'apt', args: { name: 'hello', state: 'absent' }, facts: apt({ hello: {} }), changes: [] },
  { module: 'apt', args: { name: 'hello=1.0', state: 'absent' }, facts: apt({ hello: { installed: '2.10-3' } }), changes: [] },
  { module: 'apt', args: { name: 'hello', state: 'absent' }, facts: apt({ hello: { configFilesOnly: true } }), changes: [] },
  { module: 'apt', args: { name: 'hello', state: 'absent', purge: true }, facts: apt({ hello: { configFilesOnly: true } }), changes: [[A.DELETE, 'package hello', /configuration files/]] },
  { module: 'apt', args: { update_cache: true }, facts: apt({}), changes: [[A.RUN, 'apt package lists', /update_cache is set/]] },
  { module: 'apt', args: { update_cache: true, cache_valid_time: 3600 }, facts: apt({}, 60), changes: [] },
  { module: 'apt', args: { cache_valid_time: 3600 }, facts: apt({}, 7200), changes: [[A.RUN, 'apt package lists', /7200 s old/]] },
  { module: 'apt', args: { update_cache: true, cache_valid_time: 3600 }, facts: apt({}, 7200), changes: [[A.RUN, 'apt package lists', /7200 s old, cache_valid_time is 3600 s/]] },
  { module: 'apt', args: { name: 'hello' }, facts: { available: ['dnf'], now: NOW, packages: {} }, fails: /: apt is not available on localhost; it has dnf: use that module/ },
  { module: 'dnf', args: { name: 'chrony' }, facts: { available: ['apt'], now: NOW, packages: {} }, fails: /: dnf is not available on localhost; it has apt: use that module, or 'package'/ },
  { module: 'dnf', args: { name: 'chrony' }, facts: { available: ['dnf'], manager: 'dnf', now: NOW, packages: { chrony: { candidate: '4.3-1.el9' } } }, changes: [[A.CREATE, 'package chrony', /not installed/]] },
  { module: 'package', args: { name: 'hello' }, facts: apt({ hello }), changes: [[A.CREATE, 'package hello', /not installed/]] },
  { module: 'package', args: { name: 'hello' }, facts: { available: [], now: NOW, packages: {} }, fails: /localhost has no package manager etcdops drives \(apt, dnf\)/ },
  { module: 'package', args: { name: 'hello', use: 'dnf' }, facts: { available: ['apt'], now: NOW, packages: {} }, fails: /: dnf is not available on localhost; it has apt/ },
];

describe('package plans (apt, dnf, package)', () => {
  for (const row of rows) {
    it(`${row.module} ${JSON.stringify(row.args)} on ${JSON.stringify(row.facts.packages)}`, () => {
      const module = modules.get(row.module)!;
      const plan = () => module.plan(row.args, row.facts, moduleContext(row.vars));
      if (row.fails) {
        assert.throws(plan, row.fails);
        return;
      }
      const changes = plan().changes.map((c) => [c.action, c.target, c.reason]);
      assert.equal(changes.length, row.changes!.length, JSON.stringify(changes));
      row.changes!.forEach(([action, target, reason], i) => {
        assert.equal(changes[i]![0], action);
        assert.equal(changes[i]![1], target);
        assert.match(changes[i]![2] as string, reason);
      });
    });
  }

  it('package uses the pkg_mgr fact when facts were gathered', () => {
    const gathered: unknown[] = [];
    const ctx = { ...moduleContext({ ansible_facts: { pkg_mgr: 'dnf' } }), facts: { read: (_: unknown, args: unknown) => gathered.push(args) } };
    void modules.get('package')!.gather({ name: 'chrony' }, ctx as never);
    assert.deepEqual(gathered, [{ manager: 'dnf', names: ['chrony'] }]);
  });
});

describe('package version facts', () => {
  const table: [string, string[], Partial<PackageFacts>][] = [
    [
      'now\t1800000000\nhas\tapt\nusing\tapt\ncache\t1799999000\ninstalled\thello\tinstalled 2.10-3\ncandidate\thello\t2.10-3\ninstalled\tsl\t\ncandidate\tsl\t(none)\ninstalled\tp\tconfig-files 1.0\ncandidate\tp\t1.1\n',
      ['hello', 'sl', 'p'],
      { available: ['apt'], manager: 'apt', now: 1_800_000_000, cacheUpdatedAt: 1_799_999_000, packages: { hello: { installed: '2.10-3', candidate: '2.10-3' }, sl: {}, p: { configFilesOnly: true, candidate: '1.1' } } },
    ],
    ['now\t5\nhas\tdnf\nusing\tdnf\ninstalled\tchrony\tinstalled 0:4.3-1.el9\ncandidate\tchrony\t1:4.5-2.el9\n', ['chrony'], { available: ['dnf'], manager: 'dnf', packages: { chrony: { installed: '4.3-1.el9', candidate: '1:4.5-2.el9' } } }],
    ['now\t5\n', ['x'], { available: [], manager: undefined, packages: { x: {} } }],
  ];
  for (const [stdout, names, expected] of table) {
    it(JSON.stringify(stdout.slice(0, 60)), () => {
      const facts = parsePackageFacts(stdout, names);
      for (const [key, value] of Object.entries(expected)) assert.deepEqual(facts[key as keyof PackageFacts], value, key);
    });
  }
});

describe('package apply script', () => {
  it('reports changed only when a version moved, and hides its probes from stdout', () => {
    assert.deepEqual(readPackageScriptOutput('before\thello\tinstalled 1\nReading...\nafter\thello\tinstalled 2\n'), { versionsChanged: true, cacheUpdated: false, stdout: 'Reading...\n' });
    assert.equal(readPackageScriptOutput('before\thello\tinstalled 1\nafter\thello\tinstalled 1\n').versionsChanged, false);
  });

  it("reports a refresh as Ansible does: updated when the lists' timestamp moved", () => {
    assert.deepEqual(readPackageScriptOutput('stamp\tbefore\t100\nHit:1 x\nstamp\tafter\t100\n'), { versionsChanged: false, cacheUpdated: false, cacheUpdateTime: 100, stdout: 'Hit:1 x\n' });
    assert.equal(readPackageScriptOutput('stamp\tbefore\t100\nstamp\tafter\t160\n').cacheUpdated, true);
  });

  it('quotes names, pins with = for apt and refreshes before installing', () => {
    const plan = { changes: [{ action: A.RUN, target: 'apt package lists', reason: '' }, { action: A.CREATE, target: 'package p', reason: '' }] };
    const script = packageScript({ name: ['p=1.0'], update_cache: true }, plan, 'apt').text;
    assert.match(script, /apt-get -q -o DPkg::Lock::Timeout=60 update\n.*\napt-get -y -q .* install p=1\.0\n/);
  });

  it('matches versions as Ansible does (exact, or a trailing *)', () => {
    assert.deepEqual([versionMatches('2.10-3', '2.10-3'), versionMatches('2.10-3', '2.10'), versionMatches('2.10-3', '2.10*'), versionMatches('2.1x', '2.1.*')], [true, false, true, false]);
  });

  it('matches a wanted version with many * against a long installed one at once', function () {
    // Backtracking would try every way to split the 80 characters among the stars: seconds, and hours on longer ones.
    this.timeout(2000);
    assert.deepEqual([versionMatches('1'.repeat(80), '1*1*1*1*1*1*x'), versionMatches(`${'1'.repeat(80)}x`, '1*1*1*1*1*1*x')], [false, true]);
  });
});
