// The corpus of bad inputs: each gives one clear message naming the file, line and field where they
// apply, the documented exit code, and no host is contacted. The inventory's hosts point at a port where
// nothing listens, so a run that reached them would print its plays and an UNREACHABLE line.
import { match, strictEqual } from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { etcdops } from '../e2e/etcdops-cli.js';

const dir = (path: string) => fileURLToPath(new URL(`../fixtures/${path}`, import.meta.url));
const INVENTORY = dir('cli/inventory.yml');
const OK = dir('cli/ok.yml');

interface BadInput {
  readonly name: string;
  readonly args: readonly string[];
  readonly code: number;
  /** What the one-line message must say. */
  readonly message: RegExp;
}

const playbookErrors: BadInput[] = readdirSync(dir('playbooks/bad')).map((file) => ({
  name: `playbook ${file}`,
  args: ['play', dir(`playbooks/bad/${file}`), '-i', INVENTORY],
  code: 4,
  message: new RegExp(`${file.replace('.', '\\.')}:\\d+(:\\d+)?`),
}));

const corpus: BadInput[] = [
  ...playbookErrors,
  { name: 'undefined variable', args: ['play', dir('cli/undefined-variable.yml'), '-i', INVENTORY], code: 4, message: /undefined-variable\.yml:6:7 \(file\.path\): undefined variable "confdir"/ },
  { name: 'missing template', args: ['play', dir('cli/missing-template.yml'), '-i', INVENTORY], code: 4, message: /missing-template\.yml:4:7 \(template\.src\): source file nowhere\.conf\.hbs not found/ },
  { name: 'bad Jinja template', args: ['play', dir('cli/bad-template.yml'), '-i', INVENTORY], code: 4, message: /templates\/bad-filter\.conf\.j2:4: invalid Jinja: unknown filter 'uper'/ },
  { name: 'bad pattern in a play', args: ['play', dir('cli/bad-hosts-pattern.yml'), '-i', INVENTORY], code: 4, message: /bad-hosts-pattern\.yml:2:10 \(plays\[0\]\.hosts\): host pattern 'etcd:&'/ },
  { name: 'missing playbook', args: ['play', dir('cli/missing.yml'), '-i', INVENTORY], code: 4, message: /missing\.yml not found/ },
  { name: 'inventory YAML syntax', args: ['play', OK, '-i', dir('cli/inventory-syntax.yml')], code: 4, message: /inventory-syntax\.yml:\d+:\d+: YAML syntax error/ },
  { name: 'inventory unknown key', args: ['play', OK, '-i', dir('cli/inventory-unknown-key.yml')], code: 4, message: /inventory-unknown-key\.yml:4:7 \(all\.children\.etcd\.host\): unknown key 'host'/ },
  { name: 'inventory wrong type', args: ['play', OK, '-i', dir('cli/inventory-wrong-type.yml')], code: 4, message: /inventory-wrong-type\.yml:4:13 \(all\.children\.etcd\.vars\): .*must be a mapping/ },
  { name: 'missing key file', args: ['play', OK, '-i', dir('cli/inventory-missing-key.yml')], code: 4, message: /inventory-missing-key\.yml \(a1\.ansible_ssh_private_key_file\): .*does-not-exist does not exist/ },
  { name: 'bad --limit pattern', args: ['play', OK, '-i', INVENTORY, '--limit', 'etcd['], code: 5, message: /host pattern 'etcd\[': unbalanced/ },
  { name: 'missing -e @file', args: ['play', OK, '-i', INVENTORY, '-e', '@nope.yml'], code: 5, message: /-e @nope\.yml: cannot read the file/ },
  { name: 'malformed -e', args: ['play', OK, '-i', INVENTORY, '-e', 'novalue'], code: 5, message: /-e novalue: expected NAME=VALUE/ },
  { name: '--limit matching no host', args: ['play', OK, '-i', INVENTORY, '--limit', 'nomatch'], code: 1, message: /Specified inventory, host pattern and\/or --limit leaves us with no hosts to target/ },
  { name: 'malformed -e mapping', args: ['play', OK, '-i', INVENTORY, '-e', '{a: [1'], code: 4, message: /-e '\{a: \[1':1:\d+: YAML syntax error/ },
  { name: 'unknown option', args: ['play', OK, '-i', INVENTORY, '--frobnicate'], code: 5, message: /unknown option '--frobnicate'/ },
  { name: 'unknown output format', args: ['play', OK, '-i', INVENTORY, '--output', 'xml'], code: 5, message: /--output <format>' argument 'xml' is invalid/ },
];

describe('bad inputs', function () {
  this.timeout(30_000);
  it('the corpus has at least 20 cases', () => strictEqual(corpus.length >= 20, true));
  for (const bad of corpus) {
    it(bad.name, async () => {
      const result = await etcdops(bad.args);
      strictEqual(result.code, bad.code, `exit code; stderr: ${result.stderr}`);
      match(result.stderr, bad.message);
      strictEqual(result.stdout, '', 'nothing ran: no play or task output');
      strictEqual(result.stderr.split('\n').filter((l) => /^(ERROR|error):/.test(l)).length, 1, 'exactly one error message');
    });
  }
});
