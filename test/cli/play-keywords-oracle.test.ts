// Play and task features Ansible users rely on, run by etcdops and by the real ansible-playbook on the same
// inventory (local connection, control-node modules only): every task must end the same way on every host,
// with the same message. Play hosts templated from extra vars; include_role bringing its handlers; role
// defaults not visible through hostvars; assert's messages (fail_msg rendered even when the assertion holds,
// as in Ansible 2.14). A templated any_errors_fatal, which Ansible 2.14 treats as always true, is refused at load.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { ansiblePlaybook } from './ansible-playbook.js';
import { etcdops } from '../e2e/etcdops-cli.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/cli/play-keywords/${name}`, import.meta.url));
const INVENTORY = fixture('inventory.ini');

/** `task | host | status | msg`; the message is left out of a templating failure, whose wording is each tool's. */
type Outcome = string;

/** Every result of either tool's plain output; role prefixes (`role : `) dropped. */
function outcomes(stdout: string): Outcome[] {
  const lines = stdout.split('\n');
  const out: Outcome[] = [];
  let task = '';
  for (let i = 0; i < lines.length; i++) {
    const heading = /^(?:TASK|RUNNING HANDLER) \[(?:[\w-]+ : )?(.*?)\] \**$/.exec(lines[i]!);
    if (heading) task = heading[1]!;
    const status = /^(ok|changed|fatal|skipping): \[(\S+)\](?:: FAILED!)? => ?(.*)$/.exec(lines[i]!) ?? /^(ok|changed|fatal|skipping): \[(\S+)\]()$/.exec(lines[i]!);
    if (!status) continue;
    let text = status[3]!;
    if (text === '{') {
      // Ansible's multi-line result, up to the closing brace at the line start.
      const block = ['{'];
      while (i + 1 < lines.length && lines[i] !== '}') block.push(lines[++i]!);
      text = block.join('\n');
    }
    let msg = text;
    if (text.startsWith('{')) {
      const parsed = JSON.parse(text) as { msg?: unknown };
      msg = typeof parsed.msg === 'string' ? parsed.msg : '';
    }
    out.push(`${task} | ${status[2]} | ${status[1]}${status[1] === 'fatal' && /templat|operand|unsupported/i.test(msg) ? '' : ` | ${msg}`}`);
  }
  return out;
}

async function bothRun(playbook: string, extra: readonly string[] = []): Promise<{ ours: Outcome[]; theirs: Outcome[]; ansibleCode: number | null }> {
  const theirs = ansiblePlaybook(['-i', INVENTORY, fixture(playbook), ...extra]);
  const ours = await etcdops(['play', fixture(playbook), '-i', INVENTORY, '--output', 'plain', ...extra]);
  assert.equal(ours.code, theirs.status, `exit codes differ:\n${ours.stdout}${ours.stderr}\n---\n${theirs.stdout}${theirs.stderr}`);
  return { ours: outcomes(ours.stdout).sort(), theirs: outcomes(theirs.stdout).sort(), ansibleCode: theirs.status };
}

describe('play and task features, with ansible-playbook as the oracle', function () {
  this.timeout(120_000);

  for (const [extra, host] of [[[], 'a'], [['-e', 'etcd_group=other'], 'c']] as const) {
    it(`hosts templated from extra vars (${extra.join(' ') || 'the default'})`, async () => {
      const { ours, theirs } = await bothRun('hosts-from-extra-vars.yml', extra);
      assert.ok(theirs.includes(`say where | ${host} | ok | on ${host}`), theirs.join('\n'));
      assert.deepEqual(ours, theirs);
    });
  }

  it('include_role brings its handlers, run with the role defaults; hostvars shows no role defaults', async () => {
    const { ours, theirs } = await bothRun('include-role.yml');
    assert.ok(theirs.includes('notifier handler | b | ok | handler on b sees from-role-defaults'), theirs.join('\n'));
    assert.deepEqual(ours, theirs);
  });

  it("assert's messages, and a fail_msg rendered even when the assertion holds", async () => {
    const { ours, theirs } = await bothRun('assert-messages.yml');
    assert.ok(theirs.includes('a fail_msg that cannot be rendered, on an assertion that holds | a | fatal'), theirs.join('\n'));
    assert.ok(theirs.includes('a list with success_msg | a | ok | fine on a') && theirs.includes('msg when it fails | a | fatal | bad msg on a'), theirs.join('\n'));
    assert.deepEqual(ours, theirs);
  });

  it('a templated any_errors_fatal: always true for Ansible 2.14, refused at load by etcdops', async () => {
    const theirs = ansiblePlaybook(['-i', INVENTORY, fixture('templated-any-errors-fatal.yml'), '-e', 'fatal=false']);
    assert.ok(!theirs.stdout.includes('after on b'), `Ansible no longer treats it as true; etcdops could render it:\n${theirs.stdout}`);
    const ours = await etcdops(['play', fixture('templated-any-errors-fatal.yml'), '-i', INVENTORY, '-e', 'fatal=false']);
    assert.equal(ours.code, 4, ours.stdout + ours.stderr);
    assert.match(ours.stderr, /templated-any-errors-fatal\.yml:5:21 \(plays\[0\]\.any_errors_fatal\): any_errors_fatal must be true or false, written literally/);
  });
});
