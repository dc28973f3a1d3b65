// What a run costs before and around its tasks, as a user can see it: the recap says where the time went
// (`phases` in JSON, a `Time:` line with -vv), a run loads no package it does not use, the command starts
// Node with a small young generation, and running commands in one process (tests, `play --plan`) leaves
// no Ctrl-C handler behind.
import { deepStrictEqual, match, ok, strictEqual } from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { makePlan } from '../../src/cli/play.js';
import { etcdops, jsonEvents } from '../e2e/etcdops-cli.js';

const RECORD_PACKAGES = fileURLToPath(new URL('../fixtures/cli/start-up/record-packages.mjs', import.meta.url));
const RECORD_NODE_OPTIONS = fileURLToPath(new URL('../fixtures/cli/start-up/record-node-options.mjs', import.meta.url));
const CLI = fileURLToPath(new URL('../../dist/bin/etcdops.js', import.meta.url));

/** A play a no-op run of site.yml resembles: a file read on the host, a templated argument, a Jinja condition. */
const PLAY = `- hosts: localhost
  gather_facts: false
  vars:
    folder: /etc
  tasks:
    - name: read a file
      stat:
        path: "{{ folder }}/hostname"
    - name: a templated folder
      file:
        path: "{{ folder }}"
        state: directory
      when: folder | length > 0
`;

/** Packages for certificates, versions, the terminal view, diffs, .hbs templates, host regexes, etcd and monitoring. */
const NOT_NEEDED = ['node-forge', 'semver', 'listr2', 'diff', 'handlebars', 're2js', 'etcd3', '@grpc/grpc-js', 'kubernetes-models', 'prom-client'];

describe('the cost of a run around its tasks', function () {
  this.timeout(60_000);
  let folder: string;
  let playbook: string;
  before(() => {
    folder = mkdtempSync(join(tmpdir(), 'etcdops-run-cost-'));
    playbook = join(folder, 'play.yml');
    writeFileSync(playbook, PLAY);
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  it('loads no package the run does not use', async () => {
    const record = join(folder, 'packages.txt');
    const run = await etcdops(['play', playbook, '-i', 'localhost,', '--output', 'json'], {
      env: { NODE_OPTIONS: `--import ${RECORD_PACKAGES}`, RECORD_PACKAGES_TO: record },
    });
    strictEqual(run.code, 0, run.stdout + run.stderr);
    const loaded = readFileSync(record, 'utf8').trim().split('\n');
    ok(loaded.includes('ajv') && loaded.includes('yaml'), `the recorder sees what a run uses: ${loaded.join(' ')}`);
    deepStrictEqual(NOT_NEEDED.filter((name) => loaded.includes(name)), []);
  });

  it('says where the time went: in the JSON recap, and with -vv', async () => {
    const json = await etcdops(['play', playbook, '-i', 'localhost,', '--output', 'json']);
    strictEqual(json.code, 0, json.stdout + json.stderr);
    const recap = jsonEvents(json.stdout).at(-1)!;
    const { phases, connections } = recap;
    deepStrictEqual(Object.keys(phases).sort(), ['connectMs', 'cpuMs', 'loadMs', 'remoteMs', 'reportMs', 'runMs', 'startMs']);
    for (const [name, value] of Object.entries(phases)) ok(Number.isInteger(value) && (value as number) >= 0, `${name}: ${String(value)}`);
    strictEqual(phases.runMs, recap.durationMs);
    ok(phases.startMs > 0 && phases.loadMs > 0, 'starting and loading take time');
    strictEqual(connections.localhost.commands, 1, "one command: the file task's read goes with the stat's");
    ok(phases.remoteMs > 0 && phases.remoteMs === connections.localhost.commandMs, 'the busiest host waited on its command');
    ok(phases.reportMs <= phases.runMs && phases.remoteMs <= phases.runMs);

    const plain = await etcdops(['play', playbook, '-i', 'localhost,', '--output', 'plain', '-vv']);
    strictEqual(plain.code, 0, plain.stdout + plain.stderr);
    match(plain.stdout, /\nTime: start \d+ ms, load \d+ ms, run \d+ ms \(connect \d+ ms, remote commands \d+ ms on the busiest host, control-node CPU \d+ ms, of which reporting \d+ ms\)\n/);
    const quiet = await etcdops(['play', playbook, '-i', 'localhost,', '--output', 'plain', '-v']);
    strictEqual(/\nTime: /.test(quiet.stdout), false, 'only from -vv on');
  });

  it('starts Node with a small young generation and baseline-compiled WebAssembly when run as a command (its shebang), for a lower peak memory', async () => {
    const record = join(folder, 'node-options.txt');
    const run = promisify(execFile);
    await run(CLI, ['play', playbook, '-i', 'localhost,', '--output', 'json'], {
      env: { ...process.env, NODE_OPTIONS: `--import ${RECORD_NODE_OPTIONS}`, RECORD_NODE_OPTIONS_TO: record },
    });
    const options = readFileSync(record, 'utf8').split('\n');
    for (const flag of ['--max-semi-space-size=2', '--liftoff-only']) ok(options.includes(flag), `${flag}: ${options.join(' ')}`);
  });

  it('leaves no Ctrl-C handler behind after a run', async () => {
    const options = { inventory: ['localhost,'], tags: [], skipTags: [], extraVars: [], forks: 5, verbose: 0 };
    const before = process.listenerCount('SIGINT');
    for (let i = 0; i < 3; i++) strictEqual((await makePlan(playbook, options)).exitCode, 0);
    strictEqual(process.listenerCount('SIGINT'), before);
  });
});
