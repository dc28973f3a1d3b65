// Acceptance 2 of issue 10 on a real host: a run that replaces an owner-only file and a private key, with
// --diff -vvv, plan, --output json and plan --out; no output and no plan file holds a private key, the old
// content or the CA passphrase; the plan file is 0600; the passphrase comes from the environment and must
// be given again to apply the plan. And no secret a task's script carries (its command, its environment, a
// password in a URL) shows in the host's process list while it runs, as root or through sudo.
import { createHash, randomBytes } from 'node:crypto';
import { deepStrictEqual, match, ok, strictEqual } from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { quote } from '../../src/connection/shell-quote.js';
import { etcdops, type CliResult } from './etcdops-cli.js';
import { sshRun, useLab } from './lab-fixture.js';

const PLAYBOOK = fileURLToPath(new URL('fixtures/replace-secrets.yml', import.meta.url));
const ON_STDIN = fileURLToPath(new URL('fixtures/secrets-on-stdin.yml', import.meta.url));
const OLD_TOKEN = 'old-token-5f1e9c0d2b7a';
const OLD_KEY_BODY = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC';
const PASSPHRASE = 'correct-horse-battery';
const env = { ETCDOPS_CA_PASSPHRASE: PASSPHRASE };

/** Every way a secret could show: key material, the old contents, the passphrase. */
function assertNoSecret(what: string, text: string): void {
  for (const secret of ['PRIVATE KEY', OLD_TOKEN, OLD_KEY_BODY, PASSPHRASE]) {
    strictEqual(text.includes(secret), false, `${what} shows ${secret}:\n${text}`);
  }
}

const both = (r: CliResult): string => r.stdout + r.stderr;

describe('no secret in any output or plan file (lab)', function () {
  this.timeout(120_000);
  const lab = useLab('secrets', 1);
  let scratch: string;
  before(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'etcdops-secrets-'));
    const setup = await sshRun(
      lab(),
      'n1',
      `mkdir -p /etc/app && printf '%s\\n' ${OLD_TOKEN} > /etc/app/token && chmod 600 /etc/app/token && ` +
        `printf -- '-----BEGIN PRIVATE KEY-----\\n%s\\n-----END PRIVATE KEY-----\\n' ${OLD_KEY_BODY} > /etc/app/server.pem && chmod 644 /etc/app/server.pem`,
    );
    strictEqual(setup.code, 0, setup.stderr);
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('check --diff -vvv, plan, plan --output json and plan --out show neither side of the secrets', async () => {
    const check = await etcdops(['play', PLAYBOOK, '-i', lab().inventory, '--check', '--diff', '-vvv', '--output', 'plain'], { env });
    strictEqual(check.code, 0, both(check));
    match(check.stdout, /content hidden \(sensitive\)/);
    match(check.stdout, /echo '?\*{8}(?!\*)/, 'the command is shown, its secret argument is not');
    assertNoSecret('play --check --diff -vvv', both(check));

    const plan = await etcdops(['plan', PLAYBOOK, '-i', lab().inventory], { env });
    strictEqual(plan.code, 0, both(plan));
    match(plan.stdout, /-\/\+ replace \/etc\/app\/token: content differs\n/);
    assertNoSecret('plan', both(plan));

    const json = await etcdops(['plan', PLAYBOOK, '-i', lab().inventory, '--output', 'json'], { env });
    strictEqual(json.code, 0, both(json));
    assertNoSecret('plan --output json', both(json));

    const file = join(scratch, 'plan.json');
    const saved = await etcdops(['plan', PLAYBOOK, '-i', lab().inventory, '--out', file], { env });
    strictEqual(saved.code, 0, both(saved));
    strictEqual(statSync(file).mode & 0o777, 0o600, 'the plan file is 0600');
    const stored = readFileSync(file, 'utf8');
    assertNoSecret('the plan file', stored);
    ok(JSON.parse(stored).secretExtraVars.includes('etcd_ca_passphrase'));
  });

  it('play --plan wants the secret again, then the real run with --diff -vvv --output json shows none', async () => {
    const file = join(scratch, 'plan.json');
    const refused = await etcdops(['play', PLAYBOOK, '-i', lab().inventory, '--plan', file], { env: { ETCDOPS_CA_PASSPHRASE: '' } });
    strictEqual(refused.code, 5, both(refused));
    match(refused.stderr, /etcd_ca_passphrase, which a plan never stores; give them again/);
    strictEqual((await sshRun(lab(), 'n1', 'cat /etc/app/token')).stdout, `${OLD_TOKEN}\n`, 'nothing applied');

    const applied = await etcdops(['play', PLAYBOOK, '-i', lab().inventory, '--plan', file, '--diff', '-vvv', '--output', 'json'], { env });
    strictEqual(applied.code, 0, both(applied));
    assertNoSecret('play --diff -vvv --output json', both(applied));
    strictEqual((await sshRun(lab(), 'n1', 'cat /etc/app/token /etc/app/server.pem')).stdout, 'rotated token file\na certificate, no key any more\n');
  });

  it('a secret in a running script, its environment or a URL never shows in ps or /proc/*/cmdline', async () => {
    const secret = `argv-${randomBytes(6).toString('hex')}`;
    // The server wants the password (as a hash, so its own command line does not show it) and answers the
    // checksum list slowly, so curl runs long enough to be seen.
    const authHash = createHash('sha256').update(`Basic ${Buffer.from(`etcdops:${secret}`).toString('base64')}`).digest('hex');
    const server = `import hashlib, http.server, sys, time
body = b"payload of the argv test\\n"
class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/SHA256SUMS":
            if hashlib.sha256(self.headers.get("Authorization", "").encode()).hexdigest() != sys.argv[1]:
                self.send_response(401); self.end_headers(); return
            time.sleep(3)
            out = (hashlib.sha256(body).hexdigest() + "  payload\\n").encode()
        else:
            out = body
        self.send_response(200); self.send_header("Content-Length", str(len(out))); self.end_headers(); self.wfile.write(out)
    def log_message(self, *args): pass
http.server.HTTPServer(("127.0.0.1", 8765), Handler).serve_forever()`;
    // Every process's command line, ten times a second: as /proc shows them (one per line) and as ps does.
    const scanner = `while :; do head -v -c 65536 /proc/[0-9]*/cmdline 2>/dev/null | tr '\\000' ' '; echo; ps -eww -o args; sleep 0.1; done > /root/argv-scan 2>/dev/null`;
    const started = await sshRun(
      lab(),
      'n1',
      `python3 -c ${quote(server)} ${authHash} >/dev/null 2>&1 & echo $! > /root/argv-pids; ` +
        `sh -c ${quote(scanner)} >/dev/null 2>&1 & echo $! >> /root/argv-pids`,
    );
    strictEqual(started.code, 0, started.stderr);
    // The inventory without its login user, so the playbook's remote_user picks root or ops (then sudo).
    const inventory = join(scratch, 'inventory.yml');
    writeFileSync(inventory, readFileSync(lab().inventory, 'utf8').replace(/^ *ansible_user: root\n/m, ''));
    const play = await etcdops(['play', ON_STDIN, '-i', inventory, '-e', `argv_secret=${secret}`, '--output', 'plain']);
    await sshRun(lab(), 'n1', 'kill $(cat /root/argv-pids)');
    strictEqual(play.code, 0, both(play));
    const seen = await sshRun(lab(), 'n1', 'cat /root/argv-root /root/argv-sudo /root/argv-payload');
    strictEqual(seen.stdout, `${secret} ${secret}\n${secret} ops\npayload of the argv test\n`, 'the scripts got the secret');
    const scan = await sshRun(lab(), 'n1', `grep -c 'sleep 2' /root/argv-scan; grep -c 'curl -fsSL' /root/argv-scan; grep -F -e ${secret} /root/argv-scan | cut -c 1-200 | sort -u`);
    const [sleeps, curls, ...leaks] = scan.stdout.trim().split('\n');
    ok(Number(sleeps) > 0 && Number(curls) > 0, `the scan ran while the tasks did:\n${scan.stdout}`);
    deepStrictEqual(leaks, []);
  });
});
