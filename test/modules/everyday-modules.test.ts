// The everyday Ansible modules' pure parts, as tables: service plans, stat results, uri requests and
// answers, raw/fail/ping plans, module-name suggestions, Python regex translation; and lineinfile,
// blockinfile, stat and raw converging on this machine (apply, then the second plan is empty).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blockinfileModule } from '../../src/modules/blockinfile.js';
import { failModule } from '../../src/modules/fail.js';
import { lineinfileModule } from '../../src/modules/lineinfile.js';
import { pingModule } from '../../src/modules/ping.js';
import { expandTemplate, pythonRegex } from '../../src/playbook/python-regex.js';
import { rawModule } from '../../src/modules/raw.js';
import { serviceModule } from '../../src/modules/service.js';
import { statModule, statResult } from '../../src/modules/stat.js';
import { modules } from '../../src/modules/registry.js';
import { checkUrl, curlConfig, parseUriOutput, uriInput, uriModule, uriResult } from '../../src/modules/uri.js';
import { ChangeAction } from '../../src/plan/change.js';
import { renderChangeDiff } from '../../src/plan/change-diff.js';
import { suggestModule } from '../../src/playbook/suggest.js';
import { converge, gatherContext, moduleContext } from './module-context.js';

const unit = (activeState: string, unitFileState: string) => ({ activeState, unitFileState, loadState: 'loaded', needDaemonReload: false });

describe('service (systemd semantics)', () => {
  const rows = [
    { args: { name: 'chrony', state: 'started' }, unit: unit('inactive', 'enabled'), after: ['start'] },
    { args: { name: 'chrony', state: 'started' }, unit: unit('active', 'enabled'), after: [] },
    { args: { name: 'chrony', state: 'stopped' }, unit: unit('active', 'enabled'), after: ['stop'] },
    { args: { name: 'chrony', state: 'stopped' }, unit: unit('failed', 'enabled'), after: [] },
    { args: { name: 'chrony', state: 'restarted' }, unit: unit('active', 'enabled'), after: ['restart'] },
    { args: { name: 'chrony', state: 'reloaded' }, unit: unit('active', 'enabled'), after: ['reload'] },
    { args: { name: 'chrony', enabled: true }, unit: unit('active', 'disabled'), after: ['enable'] },
    { args: { name: 'chrony', enabled: false }, unit: unit('active', 'enabled'), after: ['disable'] },
    { args: { name: 'chrony', enabled: true, state: 'started' }, unit: unit('inactive', 'disabled'), after: ['enable', 'start'] },
  ];
  for (const row of rows) {
    it(`${JSON.stringify(row.args)} on ${row.unit.activeState}/${row.unit.unitFileState} → ${row.after.join(', ') || 'nothing'}`, () => {
      const plan = serviceModule.plan(row.args as never, row.unit, moduleContext());
      // Each change carries the systemctl command apply runs.
      assert.deepEqual(plan.changes.map((c) => c.effect?.script), row.after.map((verb) => `systemctl ${verb} -- chrony.service`));
      // A restart or reload is an action, not a state: no "-active +restarted" pseudo-diff under --diff.
      for (const change of plan.changes.filter((c) => /restart|reload/.test(c.effect?.script ?? ''))) assert.equal(renderChangeDiff(change), '');
      assert.ok(plan.changes.every((c) => c.target === 'chrony.service'));
      // Same plan as the systemd module for the same arguments.
      assert.deepEqual(plan, modules.get('systemd')!.plan(row.args, row.unit, moduleContext()));
    });
  }
});

describe('stat results', () => {
  const fields = { mode: '640', type: 'regular file', uid: '0', gid: '42', pw_name: 'root', gr_name: 'shadow', size: '12', inode: '7', dev: '2049', nlink: '1', atime: '1.5', mtime: '1700000000.25', ctime: '3', readable: '1', checksum: 'abc' };
  const rows: { name: string; facts: { exists: boolean; fields: Record<string, string> }; expect: Record<string, unknown> }[] = [
    { name: 'missing path', facts: { exists: false, fields: {} }, expect: { exists: false } },
    { name: 'regular file', facts: { exists: true, fields }, expect: { exists: true, isreg: true, isdir: false, islnk: false, mode: '0640', uid: 0, gid: 42, pw_name: 'root', gr_name: 'shadow', size: 12, mtime: 1700000000.25, checksum: 'abc', rusr: true, rgrp: true, roth: false, wgrp: false, readable: true, writeable: false } },
    { name: 'directory', facts: { exists: true, fields: { ...fields, type: 'directory', mode: '1777' } }, expect: { isdir: true, isreg: false, mode: '1777', xoth: true } },
    { name: 'link', facts: { exists: true, fields: { ...fields, type: 'symbolic link', mode: '777', lnk_target: '../x', lnk_source: '/x' } }, expect: { islnk: true, isreg: false, lnk_target: '../x', lnk_source: '/x' } },
    { name: 'setuid program', facts: { exists: true, fields: { ...fields, mode: '4755' } }, expect: { mode: '4755', isuid: true, isgid: false, xusr: true } },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const stat = statResult({ path: '/p' }, row.facts);
      for (const [key, value] of Object.entries(row.expect)) assert.deepEqual(stat[key], value, key);
    });
  }
});

describe('uri requests and answers', () => {
  const bad = ['file:///etc/shadow', 'ftp://h/x', 'gopher://h', '/etc/passwd', 'HTTP:/x'];
  for (const url of bad) it(`refuses ${url}`, () => assert.throws(() => uriModule.plan({ url }, undefined, moduleContext()), /not http:\/\/ or https:\/\//));
  it('accepts http and https, and never shows a password in the URL', () => {
    checkUrl('HTTPS://h/x');
    const plan = uriModule.plan({ url: 'http://u:s3cret@h:8080/x' }, undefined, moduleContext());
    assert.equal(plan.changes[0]!.target, 'GET http://u:********@h:8080/x');
  });
  const configs: { name: string; args: Record<string, unknown>; has: string[]; hasNot?: string[] }[] = [
    { name: 'a plain GET follows redirects, http(s) only', args: { url: 'http://h/x' }, has: ['url = "http://h/x"', 'request = "GET"', 'location', 'proto-redir = "=http,https"', 'max-time = 30'] },
    { name: 'json body with its content type', args: { url: 'http://h/x', method: 'post', body: { a: [1, 'two'] }, body_format: 'json' }, has: ['request = "POST"', 'header = "Content-Type: application/json"', 'data-raw = "{\\"a\\":[1,\\"two\\"]}"'], hasNot: ['location'] },
    { name: 'form body', args: { url: 'http://h/x', method: 'POST', body: { q: 'a b', n: 1 }, body_format: 'form-urlencoded' }, has: ['data-raw = "q=a+b&n=1"'] },
    { name: 'headers quoted', args: { url: 'http://h/x', headers: { Authorization: 'Bearer "t"\\x' } }, has: ['header = "Authorization: Bearer \\"t\\"\\\\x"'] },
    { name: 'certificates by path', args: { url: 'https://h/x', ca_path: '/ca.crt', client_cert: '/c.crt', client_key: '/c.key', validate_certs: false, timeout: 5 }, has: ['cacert = "/ca.crt"', 'cert = "/c.crt"', 'key = "/c.key"', 'insecure', 'max-time = 5'] },
    { name: 'a newline in a value cannot start a new option', args: { url: 'http://h/x', body: 'a\nurl = "http://evil"', body_format: 'raw', method: 'PUT' }, has: ['data-raw = "a\\nurl = \\"http://evil\\""'] },
  ];
  for (const row of configs) {
    it(`curl config: ${row.name}`, () => {
      const lines = curlConfig(row.args as never).split('\n');
      for (const line of row.has) assert.ok(lines.includes(line), `${line} in\n${lines.join('\n')}`);
      for (const line of row.hasNot ?? []) assert.ok(!lines.includes(line), `${line} not in config`);
      assert.equal(lines.filter((l) => l.startsWith('url =')).length, 1);
    });
  }
  const answers = [
    { name: '200 with json', out: 'rc=0\n200\napplication/json\nhttp://h/x\ncontent\neyJhIjoxfQ==\n', args: {}, failed: false, status: 200, json: { a: 1 } },
    { name: '404 is a failure by default', out: 'rc=0\n404\ntext/plain\nhttp://h/x\ncontent\n\n', args: {}, failed: true, status: 404, msg: /Status code was 404 and not \[200\]/ },
    { name: '404 accepted by status_code list', out: 'rc=0\n404\ntext/plain\nhttp://h/x\ncontent\n\n', args: { status_code: [200, '404'] }, failed: false, status: 404 },
    { name: 'connection refused', out: 'rc=7\n000\n\nhttp://h/x\ncontent\n\n', args: {}, failed: true, status: -1, msg: /Request failed/ },
    { name: 'content only when asked', out: 'rc=0\n200\ntext/plain\nhttp://h/x\ncontent\naGk=\n', args: { return_content: true }, failed: false, status: 200, content: 'hi' },
  ];
  for (const row of answers) {
    it(`answer: ${row.name}`, () => {
      const { failed, msg, result } = uriResult({ url: 'http://h/x', ...row.args }, parseUriOutput(row.out), '');
      assert.equal(failed, row.failed);
      assert.equal(result.status, row.status);
      if (row.msg) assert.match(msg, row.msg);
      if (row.json) assert.deepEqual(result.json, row.json);
      assert.equal(result.content, row.content);
    });
  }
});

describe('raw, fail, ping', () => {
  it('raw always plans to run, with the command as written', () => {
    const plan = rawModule.plan({ cmd: 'echo hi creates=/x' }, undefined, moduleContext());
    assert.equal(plan.changes[0]!.action, ChangeAction.RUN);
    assert.equal(plan.changes[0]!.target, 'echo hi creates=/x');
  });
  it('raw runs through the shell and keeps the output as written', async () => {
    const ctx = gatherContext(moduleContext());
    const applied = await rawModule.apply({ cmd: 'echo "$((1+1))"; echo err >&2; exit 3' }, { changes: [] }, ctx);
    assert.equal(applied.failed, true);
    assert.deepEqual({ rc: applied.result!.rc, stdout: applied.result!.stdout, lines: applied.result!.stdout_lines, stderr: applied.result!.stderr }, { rc: 3, stdout: '2\n', lines: ['2'], stderr: 'err\n' });
  });
  const fails = [
    { args: {}, msg: 'Failed as requested from task' },
    { args: { msg: 'no quorum' }, msg: 'no quorum' },
  ];
  for (const row of fails) it(`fail ${JSON.stringify(row.args)}`, () => assert.throws(() => failModule.plan(row.args, undefined, moduleContext()), { message: row.msg }));
  it('ping returns pong, or data, and crashes on request', () => {
    assert.deepEqual(pingModule.plan({}, true, moduleContext()).result, { ping: 'pong' });
    assert.deepEqual(pingModule.plan({ data: 'x' }, true, moduleContext()).result, { ping: 'x' });
    assert.throws(() => pingModule.plan({ data: 'crash' }, true, moduleContext()), /boom/);
  });
});

describe('module name suggestions', () => {
  const known = [...modules.keys()];
  const rows: [string, string][] = [
    ['systemd_service', " (did you mean 'systemd' or 'service'?)"],
    ['sysvinit', " (did you mean 'service' or 'systemd'?)"],
    ['servcie', " (did you mean 'service'?)"],
    ['sytemd', " (did you mean 'systemd'?)"],
    ['linefile', " (did you mean 'lineinfile'?)"],
    ['pip', " ('pip' is an Ansible module etcdops does not provide)"],
    ['ufw', " ('ufw' is an Ansible module etcdops does not provide)"],
    ['tar', " ('tar' is an Ansible module etcdops does not provide)"],
    ['zzz', ''],
    ['ur', " (did you mean 'uri'?)"],
    ['fiel', " (did you mean 'file'?)"],
    ['rwa', " (did you mean 'raw'?)"],
    ['wra', ''],
  ];
  for (const [name, hint] of rows) it(`${name} →${hint || ' no hint'}`, () => assert.equal(suggestModule(name, known), hint));
});

describe('Python regular expressions', () => {
  const rows: { pattern: string; text: string; template?: string; expect: string | null }[] = [
    { pattern: '^(?P<k>\\w+)=(?P<v>.*)$', text: 'a=1', template: '\\g<v>:\\g<k>', expect: '1:a' },
    { pattern: '(a)(b)?', text: 'a', template: '[\\1][\\2]', expect: '[a][]' },
    { pattern: '(?P<x>a)(?P=x)', text: 'aa', template: '\\g<1>', expect: 'a' },
    { pattern: '[]a]', text: ']', template: 'ok', expect: 'ok' },
    { pattern: '\\Aabc\\Z', text: 'abc', template: 'whole', expect: 'whole' },
    { pattern: '(?i)ABC', text: 'abc', template: '\\t', expect: '\t' },
    { pattern: 'x(?#comment)y', text: 'xy', template: 'ok', expect: 'ok' },
    { pattern: '^nope', text: 'abc', expect: null },
  ];
  for (const row of rows) {
    it(`${row.pattern} on ${row.text}`, () => {
      const match = pythonRegex(row.pattern, 'regexp').search(row.text);
      assert.equal(match === null ? null : expandTemplate(row.template!, match), row.expect);
    });
  }
  it('refuses what it cannot translate, and bad templates', () => {
    assert.throws(() => pythonRegex('a(?i:b)', 'regexp'), /inline flags/);
    assert.throws(() => pythonRegex('(', 'regexp'), /not a valid regular expression/);
    assert.throws(() => expandTemplate('\\3', /(a)/.exec('a')!), /group 3/);
    assert.throws(() => expandTemplate('\\q', /(a)/.exec('a')!), /bad escape/);
  });
});

describe('everyday modules converge on this machine', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'etcdops-everyday-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lineinfile creates, edits with a mode, then plans nothing', async () => {
    const path = join(dir, 'sub/limits.conf');
    const made = await converge(lineinfileModule, { path, line: 'etcd soft nofile 65536', create: true, mode: '0640' }, moduleContext());
    assert.equal(made.first.changes[0]!.action, ChangeAction.CREATE);
    assert.deepEqual(made.second.changes, []);
    assert.equal(readFileSync(path, 'utf8'), 'etcd soft nofile 65536\n');
    assert.equal((statSync(path).mode & 0o777).toString(8), '640');
    const edited = await converge(lineinfileModule, { path, regexp: '^etcd soft', line: 'etcd soft nofile 1024' }, moduleContext());
    assert.equal(edited.first.changes[0]!.action, ChangeAction.REPLACE);
    assert.equal(edited.first.changes[0]!.before, 'etcd soft nofile 65536\n');
    assert.equal(edited.first.changes[0]!.after, 'etcd soft nofile 1024\n');
    assert.equal(edited.applied.result!.msg, 'line replaced');
    assert.deepEqual(edited.second.changes, []);
    assert.equal(edited.checkCommands, 1);
  });

  it('blockinfile inserts, then plans nothing; an owner-only file is edited without showing its content', async () => {
    const path = join(dir, 'hosts');
    writeFileSync(path, 'secret=1\n', { mode: 0o600 });
    const made = await converge(blockinfileModule, { path, block: 'a\nb\n' }, moduleContext());
    assert.equal(made.first.changes[0]!.sensitive, true);
    assert.equal(made.first.changes[0]!.before, undefined);
    assert.deepEqual(made.second.changes, []);
    assert.equal(readFileSync(path, 'utf8'), 'secret=1\n# BEGIN ANSIBLE MANAGED BLOCK\na\nb\n# END ANSIBLE MANAGED BLOCK\n');
    assert.equal((statSync(path).mode & 0o777).toString(8), '600');
  });

  it('stat reads a real file in one command', async () => {
    const path = join(dir, 'f');
    writeFileSync(path, 'abc', { mode: 0o640 });
    const ctx = gatherContext(moduleContext());
    const plan = statModule.plan({ path }, await statModule.gather({ path }, ctx), moduleContext());
    const stat = plan.result!.stat as Record<string, unknown>;
    assert.equal(ctx.connection.stats.commands, 1);
    assert.deepEqual([stat.exists, stat.isreg, stat.mode, stat.size, stat.checksum], [true, true, '0640', 3, 'a9993e364706816aba3e25717850c26c9cd0d89d']);
    assert.ok(Math.abs((stat.mtime as number) - statSync(path).mtimeMs / 1000) < 0.01);
    const sha = statModule.plan({ path, checksum_algorithm: 'sha256' }, await statModule.gather({ path, checksum_algorithm: 'sha256' }, ctx), moduleContext());
    assert.equal((sha.result!.stat as Record<string, unknown>).checksum, 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    const missing = statModule.plan({ path: `${path}.no` }, await statModule.gather({ path: `${path}.no` }, ctx), moduleContext());
    assert.deepEqual(missing.result, { stat: { exists: false } });
  });
});

describe('uri on this machine, with curl and with wget', () => {
  let server: Server;
  let base: string;
  let noCurl: string;
  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        if (req.url === '/missing') return res.writeHead(404, { 'content-type': 'text/plain' }).end('no');
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ method: req.method, token: req.headers['x-token'], type: req.headers['content-type'], body }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    // A PATH with the tools the script (and the connection's loader, head) uses but no curl, so the wget branch runs.
    noCurl = mkdtempSync(join(tmpdir(), 'etcdops-nocurl-'));
    mkdirSync(join(noCurl, 'bin'));
    for (const tool of ['sh', 'head', 'mktemp', 'rm', 'cat', 'sed', 'grep', 'printf', 'tail', 'tr', 'base64', 'wget']) symlinkSync(`/usr/bin/${tool}`, join(noCurl, 'bin', tool));
  });
  after(() => {
    server.close();
    rmSync(noCurl, { recursive: true, force: true });
  });

  for (const client of ['curl', 'wget']) {
    const run = async (args: Record<string, unknown>) => {
      const path = process.env.PATH;
      if (client === 'wget') process.env.PATH = join(noCurl, 'bin');
      try {
        const ctx = gatherContext(moduleContext());
        const plan = uriModule.plan(args as never, undefined, moduleContext());
        return await uriModule.apply(args as never, plan, ctx);
      } finally {
        process.env.PATH = path;
      }
    };
    it(`${client}: GET json, POST a json body with a header, and a 404`, async () => {
      const got = await run({ url: `${base}/x` });
      assert.equal(got.failed, false, got.msg);
      assert.equal(got.changed, false);
      assert.deepEqual(got.result!.json, { method: 'GET', body: '' });
      assert.equal(got.result!.status, 200);
      const posted = await run({ url: `${base}/x`, method: 'POST', body: { a: 'b\nc' }, body_format: 'json', headers: { 'X-Token': 's3cret' } });
      assert.deepEqual(posted.result!.json, { method: 'POST', token: 's3cret', type: 'application/json', body: '{"a":"b\\nc"}' });
      const missing = await run({ url: `${base}/missing`, return_content: true });
      assert.equal(missing.failed, true);
      assert.equal(missing.result!.status, 404);
      assert.equal(missing.result!.content, 'no');
      assert.match(missing.msg!, /Status code was 404 and not \[200\]/);
      const refused = await run({ url: 'http://127.0.0.1:1/' });
      assert.equal(refused.failed, true);
      assert.equal(refused.result!.status, -1);
    });
  }

  it('the input sections cannot be confused by a body holding marker lines', () => {
    const input = uriInput({ url: 'http://h/x', method: 'PUT', body: '#url\nhttp://evil\n#wget\n' });
    assert.ok(input.endsWith('#body\n#url\nhttp://evil\n#wget\n'));
    assert.equal(input.split('\n').indexOf('#url') < input.split('\n').indexOf('#body'), true);
  });
});
