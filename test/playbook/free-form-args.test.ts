// Free-form `key=value` strings read by etcdops and by Ansible 2.14's own parse_kv (the function
// ansible-playbook calls on `command: ...` and `file: path=... state=...`): the same options, the same
// command line left over, and the same refusals, case by case.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { FreeFormProblem, parseFreeForm } from '../../src/playbook/free-form-args.js';

interface Case {
  readonly text: string;
  /** Whether the module is command-like (command/shell/raw/script): Ansible's check_raw. */
  readonly commandLike: boolean;
}

const command = (text: string): Case => ({ text, commandLike: true });
const keyValue = (text: string): Case => ({ text, commandLike: false });

const CASES: readonly Case[] = [
  command('/bin/echo hi creates=/etc/hostname'),
  command('/bin/echo hi removes=/nonexistent'),
  command('pwd chdir=/tmp'),
  command('chdir=/tmp pwd'),
  command('/usr/bin/env a=b c=d pwd chdir=/tmp'),
  command('cat stdin="two words" stdin_add_newline=no'),
  command("echo x executable=/bin/bash strip_empty_ends=false warn=no"),
  command('echo "creates=/etc/hostname"'),
  command("echo 'a b  c' creates='/tmp/with space'"),
  command('echo a   b'),
  command('echo {{ item | default("x y") }} creates={{ marker }}'),
  command('echo {% if flag %}on{% else %}off{% endif %} chdir={{ dir }}'),
  command('echo {# a comment #} hi'),
  command('ls \\\n  -l chdir=/tmp'),
  command('echo one\necho two creates=/x'),
  command('echo a\\=b =c d=e'),
  command('printf %s\\n x creates=/tmp/a\\tb'),
  command('echo "unbalanced'),
  command('echo {{ unbalanced'),
  command('creates=/etc/hostname'),
  command('echo CREATES=/x Creates=/y'),
  keyValue('path=/x state=touch'),
  keyValue("path=/x mode='0644' owner=\"root\""),
  keyValue('msg="hello world" var=x'),
  keyValue('msg={{ a | join(" ") }}'),
  keyValue('msg=a\\nb\\x41\\u00e9'),
  keyValue('path=/x stray'),
  keyValue('hello'),
  keyValue('dest=/x content="a=b" force=yes'),
  keyValue(' a=b  c=d '),
  keyValue('a==b'),
  keyValue('=a=b'),
  keyValue("msg='it\\'s'"),
];

/** Every command/shell string in the shipped playbooks and roles: their command lines must survive unchanged. */
function shippedCommandLines(): Case[] {
  const found: Case[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value !== null && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if (['command', 'shell', 'ansible.builtin.command', 'ansible.builtin.shell'].includes(key) && typeof inner === 'string') found.push(command(inner));
        else visit(inner);
      }
    }
  };
  const files = readdirSync('playbooks', { recursive: true, encoding: 'utf8' }).filter((f) => /\.ya?ml$/.test(f));
  for (const file of files) visit(parse(readFileSync(join('playbooks', file), 'utf8')));
  return found;
}

const SHIPPED = shippedCommandLines();

/** The interpreter ansible-playbook runs under (from its #! line), so the oracle is the installed Ansible. */
function ansiblePython(): string {
  const found = spawnSync('sh', ['-c', 'command -v ansible-playbook'], { encoding: 'utf8' }).stdout.trim();
  const shebang = readFileSync(found, 'utf8').split('\n', 1)[0]!;
  return shebang.replace(/^#!\s*/, '').split(/\s+/)[0]!;
}

type Outcome = { readonly options: Record<string, string>; readonly rest?: string } | { readonly error: true };

function ansibleOutcomes(cases: readonly Case[]): Outcome[] {
  const script = [
    'import json, sys',
    'from ansible.parsing.splitter import parse_kv',
    'out = []',
    'for case in json.load(sys.stdin):',
    '    try:',
    '        args = parse_kv(case["text"], check_raw=case["commandLike"])',
    '        rest = args.pop("_raw_params", None)',
    '        out.append({"options": args, **({} if rest is None else {"rest": rest})})',
    '    except Exception:',
    '        out.append({"error": True})',
    'print(json.dumps(out))',
  ].join('\n');
  const run = spawnSync(ansiblePython(), ['-c', script], { input: JSON.stringify(cases), encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) as Outcome[];
}

function etcdopsOutcome(c: Case): Outcome {
  try {
    const parsed = parseFreeForm(c.text, c.commandLike);
    return { options: { ...parsed.options }, ...(parsed.rest === undefined ? {} : { rest: parsed.rest }) };
  } catch (error) {
    if (error instanceof FreeFormProblem) return { error: true };
    throw error;
  }
}

describe('free-form arguments against Ansible\'s parse_kv', function () {
  this.timeout(30_000);
  let expected: Outcome[] = [];
  before(() => {
    expected = ansibleOutcomes([...CASES, ...SHIPPED]);
  });
  for (const [index, c] of CASES.entries()) {
    it(`${c.commandLike ? 'command' : 'key=value'}: ${JSON.stringify(c.text)}`, () => {
      assert.deepEqual(etcdopsOutcome(c), expected[index]);
    });
  }
  it(`keeps the ${SHIPPED.length} command lines of the shipped playbooks as Ansible does`, () => {
    assert.ok(SHIPPED.length > 10, 'the shipped playbooks were not found');
    SHIPPED.forEach((c, index) => assert.deepEqual(etcdopsOutcome(c), expected[CASES.length + index], c.text));
  });
});
