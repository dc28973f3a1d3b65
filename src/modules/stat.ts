// stat: reports what a path is on the host, with Ansible's result keys (stat.exists, isdir, mode as
// '0644', pw_name, mtime, checksum, ...), for later `when:` conditions. Reads only; never changes anything.
import { type ChecksumAlgorithm, type PathStat, pathStat } from '../facts/path-stat.js';
import { noop } from '../plan/change.js';
import { defineModule } from './module.js';

export interface StatArgs {
  readonly path: string;
  readonly get_checksum?: boolean;
  readonly checksum_algorithm?: ChecksumAlgorithm;
  readonly follow?: false;
}

const TYPES: Readonly<Record<string, string>> = {
  directory: 'isdir',
  'regular file': 'isreg',
  'regular empty file': 'isreg',
  'symbolic link': 'islnk',
  'character special file': 'ischr',
  'block special file': 'isblk',
  fifo: 'isfifo',
  socket: 'issock',
};

const PERMISSION_BITS: readonly [string, number][] = [
  ['isuid', 0o4000], ['isgid', 0o2000],
  ['rusr', 0o400], ['wusr', 0o200], ['xusr', 0o100],
  ['rgrp', 0o40], ['wgrp', 0o20], ['xgrp', 0o10],
  ['roth', 0o4], ['woth', 0o2], ['xoth', 0o1],
];

/** Ansible's `stat` dictionary from the gathered fields. */
export function statResult(args: StatArgs, facts: PathStat): Record<string, unknown> {
  if (!facts.exists) return { exists: false };
  const f = facts.fields;
  const bits = Number.parseInt(f.mode ?? '0', 8);
  const kind = TYPES[f.type ?? ''];
  const number = (key: string): number => Number(f[key]);
  return {
    exists: true,
    path: args.path,
    mode: (f.mode ?? '0').padStart(4, '0'),
    ...Object.fromEntries(Object.values(TYPES).map((flag) => [flag, flag === kind])),
    ...Object.fromEntries(PERMISSION_BITS.map(([name, bit]) => [name, (bits & bit) !== 0])),
    uid: number('uid'),
    gid: number('gid'),
    pw_name: f.pw_name,
    gr_name: f.gr_name,
    size: number('size'),
    inode: number('inode'),
    dev: number('dev'),
    nlink: number('nlink'),
    atime: number('atime'),
    mtime: number('mtime'),
    ctime: number('ctime'),
    readable: f.readable === '1',
    writeable: f.writeable === '1',
    executable: f.executable === '1',
    ...(f.lnk_target !== undefined ? { lnk_target: f.lnk_target, lnk_source: f.lnk_source } : {}),
    ...(f.checksum !== undefined ? { checksum: f.checksum } : {}),
  };
}

export const statModule = defineModule<StatArgs, PathStat>({
  name: 'stat',
  aliases: { checksum: 'checksum_algorithm', checksum_algo: 'checksum_algorithm', dest: 'path', name: 'path' },
  description: "Report a path's type, owner, mode, size, times and checksum (registered under stat, as in Ansible).",
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['path'],
    properties: {
      path: { type: 'string', pattern: '^/', description: 'Absolute path on the host; a symbolic link is reported as the link itself.' },
      get_checksum: { type: 'boolean', description: 'Checksum a readable regular file (default true).' },
      checksum_algorithm: {
        type: 'string',
        enum: ['sha1', 'sha224', 'sha256', 'sha384', 'sha512', 'md5'],
        description: 'Algorithm of stat.checksum (default sha1, as Ansible).',
      },
      follow: { type: 'boolean', enum: [false], description: 'Only false (the default) is supported: links are not followed.' },
    },
  },
  example: `- name: Is etcd installed?
  stat:
    path: /usr/local/bin/etcd
  register: etcd_binary
`,
  idempotent: true,
  readsAhead: true,
  gather: (args, ctx) =>
    ctx.facts.read(pathStat, { path: args.path, ...(args.get_checksum === false ? {} : { checksum: args.checksum_algorithm ?? 'sha1' }) }),
  plan: (args, facts) => noop('stat only reads', { stat: statResult(args, facts) }),
  apply: async (_args, plan) => ({ changed: false, result: plan.result }),
});
