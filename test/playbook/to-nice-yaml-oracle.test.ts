// to_nice_yaml and to_yaml write what Ansible 2.14 writes (PyYAML underneath), byte for byte: lists under a
// key not indented, a mapping in a list item beside its dash, long and multi-line text broken as PyYAML breaks
// it. Ansible renders every value in one debug task and once through the template module.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderTemplateFile, renderValue } from '../../src/playbook/templating.js';

const VALUES: readonly unknown[] = [
  { a: [1, 2] },
  { a: [1, 2], b: { c: [{ d: 1, e: [3] }] }, f: [], g: [[1, 2], [3]], h: {} },
  [{ name: 'etcd', ports: [2379, 2380], env: { ETCD_NAME: 'n1' } }, { name: 'backup' }],
  [[1, [2, [3]]], []],
  { yes: 'no', '1': 'x', k: '123', f: 1.5, t: true, n: null, s: "it's", e: '', tilde: '~' },
  { text: 'a\nb', trailing: 'a\n\nb\n', tab: 'a\tb', unicode: 'é ü' },
  { long: `${'word '.repeat(30)}end`, deep: { deeper: { deepest: 'y '.repeat(45).trim() } } },
  [`${'x '.repeat(50)}x`, { item: `${'v '.repeat(45)}v` }],
  ['a '.repeat(30), 'b '.repeat(30), 'c'],
  { commas: 'a, b', list: ['x, y', '[z]', 'k: v', '{w}'], q: 'why?' },
  'plain',
  'yes',
  5,
];
const FILTERS = ['to_nice_yaml', 'to_yaml', 'to_nice_yaml(indent=2)'];
const where = { file: 'oracle.yml', line: 1 };

interface HostResult {
  readonly msg?: unknown;
  readonly failed?: boolean;
}

function runAnsible(dir: string): HostResult {
  writeFileSync(join(dir, 'vars.json'), JSON.stringify({ values: VALUES }));
  writeFileSync(join(dir, 'doc.j2'), 'doc:\n{{ values | to_nice_yaml }}{% for v in values %}---\n{{ v | to_nice_yaml(indent=2) }}{% endfor %}');
  const msg = VALUES.flatMap((_, i) => FILTERS.map((filter) => `{{ values[${i}] | ${filter} }}`));
  const tasks = [{ debug: { msg } }, { template: { src: join(dir, 'doc.j2'), dest: join(dir, 'doc.txt') } }];
  writeFileSync(join(dir, 'play.yml'), JSON.stringify([{ hosts: 'localhost', gather_facts: false, tasks }]));
  const { stdout } = spawnSync('ansible-playbook', ['-i', 'localhost,', '-c', 'local', '-e', `@${join(dir, 'vars.json')}`, join(dir, 'play.yml')], {
    encoding: 'utf8',
    env: { ...process.env, ANSIBLE_STDOUT_CALLBACK: 'json', ANSIBLE_LOCALHOST_WARNING: 'false', ANSIBLE_NOCOLOR: '1' },
  });
  const report = JSON.parse(stdout) as { plays: { tasks: { hosts: { localhost: HostResult } }[] }[] };
  return report.plays[0]!.tasks[0]!.hosts.localhost;
}

describe('to_nice_yaml and to_yaml against the real Ansible', function () {
  this.timeout(120_000);
  let dir = '';
  let debug: HostResult = {};
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'etcdops-yaml-'));
    debug = runAnsible(dir);
    assert.ok(!debug.failed && Array.isArray(debug.msg), `ansible failed: ${JSON.stringify(debug.msg)}`);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  VALUES.forEach((value, i) => {
    FILTERS.forEach((filter, j) => {
      it(`${JSON.stringify(value).slice(0, 60)} | ${filter}`, () => {
        const expected = (debug.msg as unknown[])[i * FILTERS.length + j];
        assert.equal(renderValue(`{{ values[${i}] | ${filter} }}`, { values: VALUES }, where), expected);
      });
    });
  });

  it('a template using to_nice_yaml renders as the template module writes it', () => {
    const source = join(dir, 'doc.j2');
    assert.equal(renderTemplateFile(readFileSync(source, 'utf8'), { values: VALUES }, source), readFileSync(join(dir, 'doc.txt'), 'utf8'));
  });
});
