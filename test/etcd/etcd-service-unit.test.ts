// The rendered etcd.service unit, checked by systemd's own parser (`systemd-analyze verify`).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { renderTemplate } from './support/local-etcd.js';

const run = promisify(execFile);

/**
 * Verifies a unit inside a scratch root: `--root` lets systemd-analyze run where PID 1 is not systemd, and
 * the root holds what the unit refers to (systemd's own units, an executable at the ExecStart path).
 * systemd-analyze exits 0 even for lines it ignores, so anything it prints counts as a finding.
 */
async function verifyUnit(root: string, unitText: string): Promise<string> {
  await writeFile(join(root, 'etc/systemd/system/etcd.service'), unitText);
  const { stdout, stderr } = await run('systemd-analyze', ['verify', '--man=no', `--root=${root}`, '/etc/systemd/system/etcd.service']).catch(
    (error: { stdout: string; stderr: string }) => ({ stdout: error.stdout, stderr: `${error.stderr}(failed)` }),
  );
  return `${stdout}${stderr}`.trim();
}

describe('templates/etcd.service.hbs', () => {
  let root: string;
  let unit: string;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'etcdops-unit-'));
    await mkdir(join(root, 'etc/systemd/system'), { recursive: true });
    await mkdir(join(root, 'usr/local/bin'), { recursive: true });
    await mkdir(join(root, 'usr/lib/systemd'), { recursive: true });
    await cp('/usr/lib/systemd/system', join(root, 'usr/lib/systemd/system'), { recursive: true });
    await writeFile(join(root, 'usr/local/bin/etcd'), '#!/bin/sh\n', { mode: 0o755 });
    await mkdir(join(root, 'bin'), { recursive: true });
    await writeFile(join(root, 'bin/cp'), '#!/bin/sh\n', { mode: 0o755 });
    unit = await renderTemplate('etcd.service.hbs', { etcd_conf_dir: '/etc/etcd', etcd_data_dir: '/var/lib/etcd' });
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('renders the settings etcd needs under systemd', () => {
    for (const line of [
      'Type=notify',
      'User=etcd',
      // etcd reads the copy taken at start, which etcdops compares with the file to find an owed restart.
      'RuntimeDirectory=etcd',
      'ExecStartPre=/bin/cp -- /etc/etcd/etcd.conf.yml /run/etcd/etcd.conf.yml',
      'ExecStart=/usr/local/bin/etcd --config-file /run/etcd/etcd.conf.yml',
      'Restart=on-failure',
      'LimitNOFILE=65536',
      'After=network-online.target',
      'Wants=network-online.target',
    ]) {
      assert.ok(unit.split('\n').includes(line), `missing line: ${line}`);
    }
    assert.doesNotMatch(unit, /\{\{|\}\}/);
  });

  it('passes systemd-analyze verify with no finding', async () => {
    assert.equal(await verifyUnit(root, unit), '');
  });

  it('is sandboxed: systemd-analyze security scores it OK or better, the data dir its only writable path', async () => {
    await writeFile(join(root, 'etc/systemd/system/etcd.service'), unit);
    const { stdout } = await run('systemd-analyze', ['security', '--offline=true', '--no-pager', `--root=${root}`, 'etcd.service']).catch(
      (error: { stdout: string }) => ({ stdout: error.stdout }),
    );
    const score = /Overall exposure level for etcd\.service: ([\d.]+) (\w+)/.exec(stdout);
    assert.ok(score, stdout);
    assert.ok(['PERFECT', 'SAFE', 'OK'].includes(score[2]!), `exposure ${score[1]} ${score[2]}`);
    for (const line of ['ProtectSystem=strict', 'ReadWritePaths=/var/lib/etcd', 'NoNewPrivileges=true', 'CapabilityBoundingSet=', 'SystemCallFilter=@system-service']) {
      assert.ok(unit.split('\n').includes(line), `missing line: ${line}`);
    }
  });

  it('refuses a config folder or data dir that would add a directive or split into words', async () => {
    for (const vars of [
      { etcd_conf_dir: '/etc/etcd\nExecStartPre=+/bin/sh -c id', etcd_data_dir: '/var/lib/etcd' },
      { etcd_conf_dir: '/etc/etcd', etcd_data_dir: '/var/lib/etcd /' },
    ]) {
      await assert.rejects(renderTemplate('etcd.service.hbs', vars), /systemdPath/);
    }
  });

  it('the check does find a broken unit (so a pass means something)', async () => {
    const broken = unit.replace('Type=notify', 'Type=notifyy').replace('RestartSec=5s', 'RestartSec=5 parsecs');
    const findings = await verifyUnit(root, broken);
    assert.match(findings, /Failed to parse service type/);
    assert.match(findings, /Failed to parse sec value/);
  });
});
