// Runs the real ansible-playbook, the oracle the CLI's tests compare etcdops with.
import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CliResult, etcdops } from '../e2e/etcdops-cli.js';

export function ansiblePlaybook(args: readonly string[]): SpawnSyncReturns<string> {
  return spawnSync('ansible-playbook', [...args], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_LOCALHOST_WARNING: 'false', ANSIBLE_HOST_KEY_CHECKING: 'false' },
  });
}

/** One playbook run by both tools, each writing into its own folder below the caller's scratch folder. */
export interface SideBySide {
  /** The folder ansible-playbook wrote into. */
  readonly theirs: string;
  /** The folder etcdops wrote into. */
  readonly ours: string;
  readonly ansible: SpawnSyncReturns<string>;
  readonly etcdops: CliResult;
}

/**
 * Runs `play` with ansible-playbook, then with `etcdops play` (plain output), each given `args(folder)`; both
 * must exit with `code`.
 */
export async function sideBySide(scratch: string, play: string, args: (folder: string) => readonly string[], code = 0): Promise<SideBySide> {
  const theirs = mkdtempSync(join(scratch, 'ansible-'));
  const ours = mkdtempSync(join(scratch, 'etcdops-'));
  const ansible = ansiblePlaybook([...args(theirs), play]);
  strictEqual(ansible.status, code, `ansible-playbook: ${ansible.stdout}${ansible.stderr}`);
  const result = await etcdops(['play', play, ...args(ours), '--output', 'plain']);
  strictEqual(result.code, code, `etcdops: ${result.stdout}${result.stderr}`);
  return { theirs, ours, ansible, etcdops: result };
}

/** Both tools wrote the same files with the same bytes. */
export function assertSameFiles({ theirs, ours }: Pick<SideBySide, 'theirs' | 'ours'>): void {
  const files = readdirSync(theirs).sort();
  deepStrictEqual(readdirSync(ours).sort(), files);
  for (const file of files) strictEqual(readFileSync(join(ours, file), 'utf8'), readFileSync(join(theirs, file), 'utf8'), file);
}

/**
 * Runs `play` with `-i inventory -e scratch=FOLDER` (and `more(FOLDER)`) by both tools, each into its own
 * folder below a scratch folder removed afterwards; both must write the same files with the same bytes.
 */
export async function writesSameFilesAsAnsible(play: string, inventory: string, more: (folder: string) => readonly string[] = () => []): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'etcdops-oracle-'));
  try {
    assertSameFiles(await sideBySide(scratch, play, (dir) => ['-i', inventory, '-e', `scratch=${dir}`, ...more(scratch)]));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
