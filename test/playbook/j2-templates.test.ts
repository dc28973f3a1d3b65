// `.j2` templates render byte-identical to Ansible's own `template` module: statements, loops, filters,
// comments, whitespace control, hostvars, and dicts in the order they were written. Ansible renders on the control node (connection: local).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { renderTemplateFile } from '../../src/playbook/templating.js';

const fixtures = resolve('test', 'fixtures', 'jinja', 'j2');

interface Inventory {
  all: { vars: Record<string, unknown>; children: { etcd: { hosts: Record<string, Record<string, unknown>> } } };
}

/** The variables Ansible gives `host`: group vars, its own, and hostvars/groups for every host. */
function variablesOf(host: string): Record<string, unknown> {
  const inventory = parse(readFileSync(join(fixtures, 'inventory.yml'), 'utf8')) as Inventory;
  const hosts = inventory.all.children.etcd.hosts;
  const hostvars = Object.fromEntries(Object.entries(hosts).map(([name, vars]) => [name, { ...inventory.all.vars, ...vars, inventory_hostname: name }]));
  return { ...hostvars[host], hostvars, groups: { all: Object.keys(hosts), etcd: Object.keys(hosts), ungrouped: [] } };
}

/** Renders `template` with Ansible for each of `hosts` in one run; the text per host. */
function ansibleTemplate(template: string, hosts: readonly string[]): Map<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'etcdops-j2-'));
  try {
    const dest = join(dir, '{{ inventory_hostname }}');
    writeFileSync(join(dir, 'play.yml'), JSON.stringify([{ hosts: hosts.join(':'), gather_facts: false, tasks: [{ template: { src: template, dest } }] }]));
    const run = spawnSync('ansible-playbook', ['-i', join(fixtures, 'inventory.yml'), join(dir, 'play.yml')], { encoding: 'utf8', env: { ...process.env, ANSIBLE_NOCOLOR: '1' } });
    assert.equal(run.status, 0, run.stdout + run.stderr);
    return new Map(hosts.map((host) => [host, readFileSync(join(dir, host), 'utf8')]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('.j2 templates against Ansible’s template module', function () {
  this.timeout(120_000);
  for (const name of ['config.j2', 'dict-order.j2']) {
    const template = join(fixtures, name);
    const hosts = ['n1', 'n2'];
    let theirs = new Map<string, string>();
    before(() => {
      theirs = ansibleTemplate(template, hosts);
    });
    for (const host of hosts) {
      it(`${name} for ${host} is byte-identical`, () => {
        const ours = renderTemplateFile(readFileSync(template, 'utf8'), variablesOf(host), template);
        assert.equal(ours, theirs.get(host));
      });
    }
  }
});
