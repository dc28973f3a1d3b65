// Table test: which voter counts site.yml, scale-out.yml and replace-member.yml warn about (even, or above
// 7), and that the warning reaches the user as a [WARNING] of the run (etcd_zone_spread's pre-flight task).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memberCountWarnings, quorumOf } from '../../src/etcd/member-count.js';
import { runPlaybook } from '../../src/executor/run-playbook.js';
import { loadInventory } from '../../src/inventory/load-inventory.js';
import { modules } from '../../src/modules/registry.js';
import { loadPlaybook } from '../../src/playbook/loader.js';
import { MemoryReporter } from '../../src/reporters/memory-reporter.js';

describe('member count warnings', () => {
  const rows: [voters: number, warned: RegExp[]][] = [
    [1, []],
    [2, [/2 voting members: an even count tolerates 0 failed members \(quorum 2\), no more than 1 members \(quorum 1\).*use an odd count, 1 or 3/]],
    [3, []],
    [4, [/4 voting members: an even count tolerates 1 failed member \(quorum 3\), no more than 3 members \(quorum 2\)/]],
    [5, []],
    [7, []],
    [8, [/8 voting members: an even count/, /8 voting members: etcd recommends at most 7; every write waits for 5 members.*standby learners/]],
    [9, [/9 voting members: etcd recommends at most 7/]],
  ];
  for (const [voters, warned] of rows) {
    it(`${voters} voters: ${warned.length ? `${warned.length} warning(s)` : 'none'}`, () => {
      const warnings = memberCountWarnings(voters);
      assert.equal(warnings.length, warned.length, warnings.join('\n'));
      warned.forEach((pattern, i) => assert.match(warnings[i]!, pattern));
    });
  }
  it('quorum and tolerated failures', () => assert.deepStrictEqual([3, 4, 5].map(quorumOf), [{ quorum: 2, tolerates: 1 }, { quorum: 3, tolerates: 1 }, { quorum: 3, tolerates: 2 }]));

  for (const check of [false, true]) it(`reaches the user as a [WARNING] of the pre-flight task${check ? ' under --check' : ''}, standby learners not counted`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'etcdops-member-count-'));
    try {
      const hosts = Object.fromEntries(['n1', 'n2', 'n3', 'n4', 'n5'].map((h) => [h, { ansible_connection: 'local', ...(h === 'n5' ? { etcd_learner: true } : {}) }]));
      writeFileSync(join(dir, 'inventory.yml'), JSON.stringify({ all: { children: { etcd: { hosts } } } }));
      writeFileSync(join(dir, 'play.yml'), '- hosts: etcd\n  gather_facts: false\n  tasks:\n    - etcd_zone_spread: {}\n      run_once: true\n');
      const inventory = await loadInventory(join(dir, 'inventory.yml'));
      const playbook = await loadPlaybook(join(dir, 'play.yml'), { modules, extraVars: {} });
      const reporter = new MemoryReporter();
      const result = await runPlaybook(playbook, inventory, { check, diff: false, tags: [], skipTags: [], extraVars: {}, forks: 5, reporter, modules });
      assert.equal(result.exitCode, 0);
      const warnings = reporter.events.flatMap((e) => (e.event === 'warning' ? [e.message] : []));
      assert.equal(warnings.length, 1, warnings.join('\n'));
      assert.match(warnings[0]!, /^n1: 4 voting members: an even count/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
