// Table-driven: each serializer for values pasted into a config format returns text that reads back as
// the value, or refuses the value; then the shipped templates that use them, rendered with hostile values
// and read back by the format's own reader (sh, rclone, the YAML reader, JSON.parse).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { lazyVars } from '../../src/executor/lazy-vars.js';
import { decimal, iniName, iniValue, safeName, systemdPath, systemdText, systemdWord } from '../../src/playbook/template-escaping.js';
import { renderTemplateFile } from '../../src/playbook/templating.js';
import { renderMonitoring } from '../monitoring/render-monitoring.js';

type Row = readonly [input: unknown, expected: string | RegExp];

const tables: Record<string, { readonly fn: (value: unknown) => string; readonly rows: readonly Row[] }> = {
  systemdText: {
    fn: systemdText,
    rows: [
      ['etcd backup of prod', 'etcd backup of prod'],
      ['50% done', '50%% done'],
      ['*:*:0/15', '*:*:0/15'],
      ['x\nExecStartPre=/bin/sh -c id', /control character/],
      ['x\r', /control character/],
      ['continued \\', /line continuation/],
      [undefined, /not a single value/],
    ],
  },
  systemdWord: {
    fn: systemdWord,
    rows: [
      ['15d', '15d'],
      ['2.42.0', '2.42.0'],
      ['15d --web.enable-admin-api', /not one word/],
      ['15d\tx', /control character/],
      ['"quoted"', /not one word/],
      ['50%', /not one word/],
      ['$HOME', /not one word/],
      ['a\\', /not one word/],
      ['', /not one word/],
    ],
  },
  systemdPath: {
    fn: systemdPath,
    rows: [
      ['/usr/local/sbin/etcd-backup', '/usr/local/sbin/etcd-backup'],
      ['/var/lib/etcd', '/var/lib/etcd'],
      ['/etc/etcd\nExecStartPre=+/bin/sh', /control character/],
      ['/etc/my etcd', /not an absolute path of letters/],
      ['/etc/%n', /not an absolute path of letters/],
      ['/etc/$HOME', /not an absolute path of letters/],
      ['/etc/"x"', /not an absolute path of letters/],
      ['relative/path', /not an absolute path of letters/],
      ['/var/../etc', /not an absolute path of letters/],
    ],
  },
  iniName: {
    fn: iniName,
    rows: [
      ['offsite', 'offsite'],
      ['s3-eu.west_1', 's3-eu.west_1'],
      ['x]\n[other', /control character/],
      ['a b', /not a name/],
      ['a=b', /not a name/],
    ],
  },
  iniValue: {
    fn: iniValue,
    rows: [
      ['10.0.0.4', '10.0.0.4'],
      [true, 'true'],
      [2, '2'],
      ['a = b # not a comment', 'a = b # not a comment'],
      ['x\nssh = sh -c id', /control character/],
      [' padded', /space/],
      ['"quoted"', /quote/],
      ["'''multi", /quote/],
    ],
  },
  safeName: {
    fn: safeName,
    rows: [
      ['etcd-backup', 'etcd-backup'],
      ['job:etcd_1.x', 'job:etcd_1.x'],
      ['etcd"} or vector(1) #', /not a name/],
      ['etcd\\', /not a name/],
      ['a\nb', /control character/],
    ],
  },
  decimal: {
    fn: decimal,
    rows: [
      [0.25, '0.25'],
      ['3', '3'],
      [10800, '10800'],
      ['3 or vector(1)', /not a number/],
      ['1\n- alert: x', /control character/],
      [Number.NaN, /not a number/],
    ],
  },
};

describe('template escaping: one value, one place in a config format', () => {
  for (const [name, { fn, rows }] of Object.entries(tables)) {
    for (const [input, expected] of rows) {
      it(`${name}(${JSON.stringify(input) ?? String(input)})`, () => {
        if (typeof expected === 'string') assert.equal(fn(input), expected);
        else assert.throws(() => fn(input), expected);
      });
    }
  }
});

const inRepo = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const defaults = (role: string): Record<string, unknown> => parse(readFileSync(inRepo(`playbooks/roles/${role}/defaults/main.yml`), 'utf8'));

/** Renders a backup template as the etcd_backup role does, for members n1..n3. */
function renderBackup(file: string, overrides: Record<string, unknown>): string {
  const source = inRepo(`templates/backup/${file}`);
  const endpoint = (overrides.endpoint as string | undefined) ?? 'https://10.0.0.1:2379';
  const hostvars = { n1: { etcd_backup_endpoint: endpoint }, n2: { etcd_backup_endpoint: 'https://10.0.0.2:2379' } };
  const vars = lazyVars(
    [defaults('etcd'), defaults('etcd_backup'), { groups: { etcd: ['n1', 'n2'] }, hostvars, etcd_backup_remote_dir: '', etcd_backup_sftp_address: '' }, overrides],
    { file: source },
  );
  return renderTemplateFile(readFileSync(source, 'utf8'), vars, source);
}

describe('templates read back by their format', function () {
  this.timeout(30_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'etcdops-escaping-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('backup script: hostile values stay values in sh', () => {
    const marker = join(dir, 'pwned');
    const hostile = {
      etcd_pki_dir: `/etc/etcd/pki"; touch ${marker}; "`,
      etcd_backup_rclone_timeout: `5s $(touch ${marker})`,
      etcd_backup_rclone_retries: `1; touch ${marker}`,
      etcd_backup_snapshot_timeout: `\`touch ${marker}\``,
      endpoint: `https://10.0.0.1:2379'$(touch${'${IFS}'}${marker})'`,
    };
    const script = renderBackup('etcd-backup.sh.hbs', hostile);
    // Run the assignments at the top only (up to the first function), then print what the script would use.
    const header = script.slice(0, script.indexOf('\nstarted='));
    const out = execFileSync('sh', ['-c', `${header}\nprintf '%s\\n' "$PKI_DIR" "$RCLONE_TIMEOUT" "$RCLONE_RETRIES" "$SNAPSHOT_TIMEOUT"; for e in $ENDPOINTS; do printf '%s\\n' "$e"; done`], { encoding: 'utf8' });
    assert.deepEqual(out.trim().split('\n'), [
      hostile.etcd_pki_dir,
      hostile.etcd_backup_rclone_timeout,
      hostile.etcd_backup_rclone_retries,
      hostile.etcd_backup_snapshot_timeout,
      hostile.endpoint,
      'https://10.0.0.2:2379',
    ]);
    assert.equal(existsSync(marker), false, 'no command ran');
    execFileSync('sh', ['-n', '-c', script]);
  });

  it('backup service and timer: a newline or a space in a value is refused', () => {
    assert.throws(() => renderBackup('etcd-backup.service.hbs', { etcd_backup_script: '/usr/local/sbin/x\nExecStartPre=+/bin/sh -c id' }), /control character/);
    assert.throws(() => renderBackup('etcd-backup.service.hbs', { etcd_backup_dir: '/var/lib/etcd-backups /' }), /systemdPath/);
    assert.throws(() => renderBackup('etcd-backup.timer.hbs', { etcd_backup_on_calendar: 'hourly\n[Install]' }), /control character/);
    assert.match(renderBackup('etcd-backup.timer.hbs', {}), /^OnCalendar=hourly$/m);
  });

  it('rclone.conf: rclone reads back exactly the remotes given, and refuses an injected option', () => {
    const remotes = { offsite: { type: 's3', provider: 'AWS', env_auth: true, region: 'eu-west-1', description: 'a = b # c' } };
    const conf = join(dir, 'rclone.conf');
    writeFileSync(conf, renderBackup('rclone.conf.hbs', { etcd_backup_rclone_remotes: remotes }));
    const dumped = JSON.parse(execFileSync('rclone', ['config', 'dump', '--config', conf], { encoding: 'utf8' })) as unknown;
    assert.deepEqual(dumped, { offsite: { type: 's3', provider: 'AWS', env_auth: 'true', region: 'eu-west-1', description: 'a = b # c' } });
    assert.throws(() => renderBackup('rclone.conf.hbs', { etcd_backup_rclone_remotes: { offsite: { type: 'sftp\nssh = sh -c id' } } }), /iniValue: .* control character/);
    assert.throws(() => renderBackup('rclone.conf.hbs', { etcd_backup_rclone_remotes: { 'x]\n[y': { type: 'local' } } }), /iniName/);
    assert.throws(() => renderBackup('rclone.conf.hbs', { etcd_backup_sftp_address: '10.0.0.4\nssh = sh -c id' }), /iniValue/);
  });

  it('monitoring units: a value inside ExecStart= stays one argument (no flag added by a space)', () => {
    const render = (file: string, overrides: Record<string, unknown> = {}) => {
      const source = inRepo(`templates/monitoring/${file}`);
      return renderTemplateFile(readFileSync(source, 'utf8'), lazyVars([defaults('etcd'), defaults('etcd_monitoring'), overrides], { file: source }), source);
    };
    assert.match(render('prometheus.service.hbs'), / --storage\.tsdb\.retention\.time=15d /);
    assert.throws(() => render('prometheus.service.hbs', { etcd_monitoring_retention: '15d --web.enable-admin-api' }), /systemdWord/);
    assert.throws(() => render('prometheus.service.hbs', { etcd_monitoring_prometheus_version: '2.42.0 --web.enable-lifecycle' }), /systemdWord/);
    assert.throws(() => render('alertmanager.service.hbs', { etcd_monitoring_alertmanager_version: '0.25.0 --x' }), /systemdWord/);
    assert.throws(() => render('node_exporter.service.hbs', { etcd_monitoring_node_exporter_version: '1.5.0 --x' }), /systemdWord/);
  });

  it('monitoring YAML and JSON: a cluster name with a newline and quotes reads back as itself; a hostile job name is refused', () => {
    const cluster = 'prod"\n  - job_name: injected\u2028x';
    const config = parse(renderMonitoring('etcd.yml', { etcd_monitoring_cluster_name: cluster, etcd_monitoring_scrape_interval: '15s\nx: 1' }));
    assert.deepEqual(config.scrape_configs.map((c: { job_name: string }) => c.job_name), ['etcd', 'etcd-backup'], 'no injected job');
    assert.equal(config.scrape_configs[0].static_configs[0].labels.cluster, cluster);
    assert.equal(config.scrape_configs[0].scrape_interval, '15s\nx: 1', 'a bad interval stays one value, for promtool to refuse');
    for (const file of ['etcd-rules.yml', 'etcd-dashboard.json'] as const) {
      assert.throws(() => renderMonitoring(file, { etcd_monitoring_job: 'etcd"} or vector(1) #' }), /safeName/);
    }
    assert.throws(() => renderMonitoring('etcd-rules.yml', { etcd_monitoring_leader_changes_max: '3 or vector(1)' }), /decimal/);
    const rules = parse(renderMonitoring('etcd-rules.yml', { etcd_monitoring_rule_interval: '30s\n    rules: []' }));
    assert.equal(rules.groups[0].interval, '30s\n    rules: []');
    assert.ok(JSON.parse(renderMonitoring('etcd-dashboard.json')));
  });
});
