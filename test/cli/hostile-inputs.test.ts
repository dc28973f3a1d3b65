// Hostile inputs (issue 10 item 6): each ends at once, within 2 s of CPU time and 300 MB of memory, with one
// error naming the file (and line where there is one), the documented exit code, and no stack trace. The big
// and hostile files are generated in a temp folder here; the CLI runs from the build, as a user runs it.
import { match, strictEqual } from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const MAIN = fileURLToPath(new URL('../../dist/bin/etcdops.js', import.meta.url));
const MAX_CPU_MS = 2000;
const MAX_RSS_MB = 300;

/** Preloaded into the CLI: at exit, reports its peak memory and CPU time on stderr. */
const PROBE = `process.on('exit', () => {
  const cpu = process.cpuUsage();
  process.stderr.write('\\nprobe ' + process.resourceUsage().maxRSS + ' ' + Math.round((cpu.user + cpu.system) / 1000) + '\\n');
});
`;

interface Hostile {
  readonly name: string;
  readonly args: (dir: string) => string[];
  readonly code: number;
  readonly message: RegExp;
}

const INVENTORY = (dir: string) => join(dir, 'inventory.yml');
const PLAY = (dir: string) => join(dir, 'ok.yml');

/** Nine levels of ten aliases each: a billion values once expanded. */
function laughs(indent: string): string {
  const lines = [`${indent}l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]`];
  for (let i = 1; i <= 9; i++) lines.push(`${indent}l${i}: &l${i} [${Array(10).fill(`*l${i - 1}`).join(', ')}]`);
  return lines.join('\n');
}

const hostile: readonly Hostile[] = [
  { name: 'billion-laughs inventory', args: (d) => ['inventory', '-i', join(d, 'laughs-inventory.yml'), '--list'], code: 4, message: /laughs-inventory\.yml:\d+:\d+ \(all\.vars\.l\d\[\d\]\): YAML aliases expand/ },
  { name: 'billion-laughs group_vars', args: (d) => ['inventory', '-i', join(d, 'gv', 'inventory.yml'), '--list'], code: 4, message: /group_vars\/all\.yml:\d+:\d+ .*YAML aliases expand/ },
  { name: 'billion-laughs vars file', args: (d) => ['play', join(d, 'with-vars-file.yml'), '-i', INVENTORY(d), '--syntax-check'], code: 4, message: /laughs-vars\.yml:\d+:\d+ .*YAML aliases expand/ },
  { name: 'billion-laughs playbook', args: (d) => ['play', join(d, 'laughs-play.yml'), '-i', INVENTORY(d)], code: 4, message: /laughs-play\.yml:\d+:\d+ .*YAML aliases expand/ },
  { name: 'billion-laughs -e @file', args: (d) => ['play', PLAY(d), '-i', INVENTORY(d), '-e', `@${join(d, 'laughs-vars.yml')}`], code: 4, message: /laughs-vars\.yml:\d+:\d+ .*YAML aliases expand/ },
  { name: 'h[1:100000000] in a YAML inventory', args: (d) => ['inventory', '-i', join(d, 'range.yml'), '--list'], code: 4, message: /range\.yml:3:5 .*stands for 100000000 hosts/ },
  { name: 'h[1:100000000] in an INI inventory', args: (d) => ['inventory', '-i', join(d, 'range.ini'), '--list'], code: 4, message: /range\.ini:2: .*stands for 100000000 hosts/ },
  { name: '-e @/dev/zero', args: (d) => ['play', PLAY(d), '-i', INVENTORY(d), '-e', '@/dev/zero'], code: 4, message: /\/dev\/zero: .*not a regular file/ },
  { name: '-e @FIFO nobody writes to', args: (d) => ['play', PLAY(d), '-i', INVENTORY(d), '-e', `@${join(d, 'fifo')}`], code: 4, message: /fifo: .*not a regular file/ },
  { name: '-i /dev/zero', args: () => ['inventory', '-i', '/dev/zero', '--list'], code: 4, message: /\/dev\/zero: inventory is not a regular file/ },
  { name: 'a 54 MB playbook', args: (d) => ['play', join(d, 'big.yml'), '-i', INVENTORY(d)], code: 4, message: /big\.yml: playbook is larger than 4194304 bytes/ },
  { name: "--limit '~(a+)+$'", args: (d) => ['play', PLAY(d), '-i', join(d, 'aaa.yml'), '--limit', '~(a+)+$'], code: 1, message: /leaves us with no hosts to target/ },
  { name: "-e '{'", args: (d) => ['play', PLAY(d), '-i', INVENTORY(d), '-e', '{'], code: 4, message: /-e '\{':1:2: YAML syntax error/ },
  { name: '100,000 nested lists', args: (d) => ['play', join(d, 'deep.yml'), '-i', INVENTORY(d)], code: 4, message: /deep\.yml:3:\d+: YAML nested deeper than 200 levels/ },
  { name: 'invalid UTF-8 in a playbook', args: (d) => ['play', join(d, 'latin1.yml'), '-i', INVENTORY(d)], code: 4, message: /latin1\.yml:3:25: playbook is not valid UTF-8/ },
  { name: 'invalid UTF-8 in an INI inventory', args: (d) => ['inventory', '-i', join(d, 'latin1.ini'), '--list'], code: 4, message: /latin1\.ini:3:\d+: inventory is not valid UTF-8/ },
  { name: 'a !vault value in an inventory', args: (d) => ['inventory', '-i', join(d, 'vault.yml'), '--list'], code: 4, message: /vault\.yml:4:\d+ \(all\.hosts\.h1\.secret\): a !vault value: etcdops does not decrypt Ansible Vault/ },
];

async function generate(dir: string): Promise<void> {
  const files: Record<string, string | Buffer> = {
    'inventory.yml': 'all:\n  hosts:\n    h1:\n      ansible_host: 127.0.0.1\n      ansible_port: 1\n',
    'ok.yml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: {msg: hi}\n',
    'laughs-inventory.yml': `all:\n  hosts:\n    h1:\n  vars:\n${laughs('    ')}\n`,
    'gv/inventory.yml': 'all:\n  hosts:\n    h1:\n',
    'gv/group_vars/all.yml': `${laughs('')}\n`,
    'laughs-vars.yml': `${laughs('')}\n`,
    'with-vars-file.yml': '- hosts: all\n  gather_facts: false\n  vars_files: [laughs-vars.yml]\n  tasks: []\n',
    'laughs-play.yml': `- hosts: all\n  gather_facts: false\n  vars:\n${laughs('    ')}\n  tasks: []\n`,
    'range.yml': 'all:\n  hosts:\n    h[1:100000000]:\n',
    'range.ini': '[g]\nh[1:100000000]\n',
    'aaa.yml': `all:\n  hosts:\n    ${'a'.repeat(40)}b:\n`,
    'deep.yml': `- hosts: all\n  vars:\n    x: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n  tasks: []\n`,
    'latin1.yml': Buffer.concat([Buffer.from('- hosts: all\n  tasks:\n    - debug: {msg: "caf'), Buffer.from([0xe9]), Buffer.from('"}\n')]),
    'latin1.ini': Buffer.concat([Buffer.from('[g]\nh1\nh2 owner=Jos'), Buffer.from([0xe9]), Buffer.from('\n')]),
    'vault.yml': 'all:\n  hosts:\n    h1:\n      secret: !vault |\n        $ANSIBLE_VAULT;1.1;AES256\n        3131\n',
  };
  for (const [name, content] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), content);
  }
  const line = '    - debug: {msg: "a line of a very big playbook, repeated until it is 54 MB"}\n';
  await writeFile(join(dir, 'big.yml'), `- hosts: all\n  tasks:\n${line.repeat(Math.ceil((54 << 20) / line.length))}`);
  await writeFile(join(dir, 'probe.mjs'), PROBE);
  execFileSync('mkfifo', [join(dir, 'fifo')]);
}

function runCli(dir: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', pathToFileURL(join(dir, 'probe.mjs')).href, MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? -1 : 0), stdout, stderr, ms: Date.now() - started }));
  });
}

describe('hostile inputs end at once with a located error', function () {
  this.timeout(60_000);
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'etcdops-hostile-'));
    await generate(dir);
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  for (const input of hostile) {
    it(input.name, async () => {
      const result = await runCli(dir, input.args(dir));
      const probe = /\nprobe (\d+) (\d+)\n/.exec(result.stderr);
      const stderr = result.stderr.replace(/\nprobe \d+ \d+\n/, '');
      strictEqual(result.code, input.code, `exit code after ${result.ms} ms; stderr: ${stderr.slice(0, 500)}`);
      match(stderr, input.message);
      strictEqual(stderr.split('\n').filter((l) => l.startsWith('ERROR:')).length, 1, 'exactly one error message');
      strictEqual(/internal error|\n\s+at /.test(stderr), false, 'no stack trace');
      strictEqual(result.stdout, '');
      strictEqual(probe !== null, true, 'the process reported its use');
      const [rssKb, cpuMs] = [Number(probe![1]), Number(probe![2])];
      strictEqual(cpuMs < MAX_CPU_MS, true, `CPU time ${cpuMs} ms`);
      strictEqual(rssKb < MAX_RSS_MB * 1024, true, `peak memory ${Math.round(rssKb / 1024)} MB`);
    });
  }
});
