// What a path is on a host, in one round trip: type, owner, group, mode, link target, sha256 and, for
// small text files, the content itself (for diffs). Read with GNU stat, sha256sum, grep and base64 only,
// each run at most once: a no-op run executes this script for every file task on every host, and every
// process it starts costs the host (and, on a shared machine, the control node) a fork and an exec.
// The content of a secret file (owner-only mode, or key material found by grep on the host) never leaves
// the host: the script says `secret=` instead.
import type { ExecResult } from '../connection/connection.js';
import { ShellCode, sh } from '../connection/shell-quote.js';
import { defineFact } from './fact.js';

/** The text that marks key material (PEM, OpenSSH, PGP private keys), looked for on both sides of a change. */
export const KEY_MATERIAL_MARK = 'PRIVATE KEY';

/** Largest file whose content is read back for a diff. */
export const DIFF_CONTENT_LIMIT = 256 * 1024;

export type FileType = 'absent' | 'file' | 'directory' | 'link' | 'other';

export interface FileState {
  readonly type: FileType;
  readonly owner?: string;
  readonly group?: string;
  readonly uid?: number;
  readonly gid?: number;
  /** Four octal digits, e.g. "0644". */
  readonly mode?: string;
  readonly size?: number;
  /** For a symbolic link: where it points, as written. */
  readonly linkTarget?: string;
  /** For a regular file, when a checksum was asked for. */
  readonly sha256?: string;
  /** For a small text file, when content was asked for. */
  readonly content?: string;
  /** True when content was asked for but the file is binary or larger than DIFF_CONTENT_LIMIT. */
  readonly contentOmitted?: boolean;
  /** Set when content was asked for and the file is secret (readable by its owner only, or holding key
   *  material); its content is then not read, unless `secretContent` was asked for. */
  readonly secret?: FileSecret;
}

export type FileSecret = 'mode' | 'key-material';

export interface FileStateArgs {
  readonly path: string;
  /** Compute the sha256 of a regular file. */
  readonly checksum?: boolean;
  /** Return the content of a small text file (for diffs). */
  readonly content?: boolean;
  /**
   * Return a secret file's content too (still marked `secret`), for a module whose own logic needs it
   * (etcd_config keeps settings from the current file). Such content is never put in a diff: a change
   * to a file marked secret is sensitive (planFileContent).
   */
  readonly secretContent?: boolean;
  /**
   * The sha256 of the content the caller wants there: a file that already has it needs no diff, so its
   * content is neither searched for key material nor read back (the caller holds the same bytes). Asked
   * with `checksum`.
   */
  readonly unlessSha256?: string;
}

/** Sets `t` to the type of "$p", the link itself and not what it points to. */
const TYPE_OF_P = new ShellCode('if [ -L "$p" ]; then t=link; elif [ -d "$p" ]; then t=directory; elif [ -f "$p" ]; then t=file; elif [ -e "$p" ]; then t=other; else t=absent; fi');

const FILE_TYPES: readonly string[] = ['absent', 'file', 'directory', 'link', 'other'] satisfies FileType[];

/** The script, reusable inside bigger gather scripts (get_url adds its checksum download after it). */
export function fileStateScript(args: FileStateArgs): ShellCode {
  // sha256sum's own line (`HEX  -`): the parser keeps the digest. An unreadable file gives an empty one.
  const checksum = args.checksum ? new ShellCode(`sum=$(sha256sum < "$p") || sum=\necho "sha256=$sum"`) : new ShellCode(':');
  const wanted = args.checksum && args.unlessSha256 !== undefined ? sh`[ "\${sum%% *}" != ${args.unlessSha256} ]` : new ShellCode('true');
  // Decided on the host from the octal mode (group read in the digit before last, others' read in the
  // last) and a grep that answers only yes or no, so a secret's bytes are never sent back.
  const withheld = new ShellCode(args.secretContent ? 'false' : '[ -n "$s" ]');
  const content = args.content
    ? sh`if ${wanted}; then
case "$mode" in *[4567][0-7]|*[4567]) s=;; *) s=mode;; esac
if [ -z "$s" ] && grep -qaF -e ${KEY_MATERIAL_MARK} -- "$p"; then s=key-material; fi
if [ -n "$s" ]; then echo "secret=$s"; fi
if ${withheld}; then :
elif [ "$size" -le ${DIFF_CONTENT_LIMIT} ]; then echo content; base64 -w0 < "$p"; echo; else echo content-omitted; fi
fi`
    : new ShellCode(':');
  // One stat, mode and size first: they are read back from its output by position, before the owner and
  // group names (which could hold any text).
  return sh`p=${args.path}
${TYPE_OF_P}
echo "type=$t"
if [ "$t" != absent ]; then
st=$(stat --printf 'mode=%a\\nsize=%s\\nowner=%U\\ngroup=%G\\nuid=%u\\ngid=%g' -- "$p")
printf '%s\\n' "$st"
nl='
'
mode=\${st%%"$nl"*}; mode=\${mode#mode=}
size=\${st#*"$nl"size=}; size=\${size%%"$nl"*}
if [ "$t" = link ]; then printf 'target=%s\\n' "$(readlink -- "$p")"; fi
if [ "$t" = file ]; then
${checksum}
${content}
fi
fi`;
}

/** stat's fields of a present path, as text. */
interface StatText {
  readonly mode?: string;
  readonly size?: string;
  readonly owner?: string;
  readonly group?: string;
  readonly uid?: string;
  readonly gid?: string;
}

/** What stat says of a present path: one builder for a read alone and for several, which must agree. */
function statedState(type: FileType, stat: StatText): FileState {
  const num = (text: string | undefined): number | undefined => (text === undefined ? undefined : Number(text));
  return { type, owner: stat.owner, group: stat.group, uid: num(stat.uid), gid: num(stat.gid), mode: stat.mode?.padStart(4, '0'), size: num(stat.size) };
}

/** Parses the script's output (only the lines it wrote; callers strip their own sections first). */
export function parseFileState(stdout: string): FileState {
  const lines = stdout.split('\n');
  const fields = new Map<string, string>();
  let content: string | undefined;
  let contentOmitted = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line === 'content') {
      const bytes = Buffer.from(lines[i + 1] ?? '', 'base64');
      i++;
      const text = bytes.toString('utf8');
      // Binary content (NUL bytes or invalid UTF-8) is summarised, never shown.
      if (bytes.includes(0) || !Buffer.from(text, 'utf8').equals(bytes)) contentOmitted = true;
      else content = text;
    } else if (line === 'content-omitted') {
      contentOmitted = true;
    } else if (line.startsWith('sha256=')) {
      fields.set('sha256', line.slice('sha256='.length).split(' ')[0]!);
    } else {
      const eq = line.indexOf('=');
      if (eq > 0) fields.set(line.slice(0, eq), line.slice(eq + 1));
    }
  }
  const type = fields.get('type') as FileType | undefined;
  if (!type) throw new Error(`file state: unexpected output: ${stdout.slice(0, 200)}`);
  if (type === 'absent') return { type };
  return {
    ...statedState(type, Object.fromEntries(fields)),
    ...(fields.has('target') ? { linkTarget: fields.get('target') } : {}),
    ...(fields.has('sha256') ? { sha256: fields.get('sha256') } : {}),
    ...(content !== undefined ? { content } : {}),
    ...(contentOmitted ? { contentOmitted } : {}),
    ...(fields.has('secret') ? { secret: fields.get('secret') as FileSecret } : {}),
  };
}

/**
 * Several paths in one script, for reads sent ahead: one stat for all, one readlink for the links and one
 * sha256sum for the regular files that want a checksum, where each path read alone runs its own. Fields
 * are NUL-separated, the one byte no owner or group name, nor link target, can hold.
 */
export function fileStatesScript(list: readonly FileStateArgs[]): ShellCode {
  const paths = list.map((args) => args.path);
  const summed = list.filter((args) => args.checksum).map((args) => args.path);
  return sh`set -e
set --
for p in ${paths}; do
${TYPE_OF_P}
printf '%s ' "$t"
if [ "$t" != absent ]; then set -- "$@" "$p"; fi
done
echo
if [ $# -gt 0 ]; then stat --printf '%a\\0%s\\0%U\\0%G\\0%u\\0%g\\0' -- "$@"; fi
echo
set --
for p in ${paths}; do
if [ -L "$p" ]; then printf y; set -- "$@" "$p"; else printf n; fi
done
echo
if [ $# -gt 0 ]; then readlink -z -- "$@"; fi
echo
set --
for p in ${summed}; do
if [ -f "$p" ] && [ ! -L "$p" ]; then printf y; set -- "$@" "$p"; else printf n; fi
done
echo
if [ $# -gt 0 ]; then sha256sum -- "$@"; fi`;
}

/**
 * Parses fileStatesScript's output: each path's state as its own read finds it, or undefined for a file
 * whose read needs more than the script reads (its content, for a diff). An answer that does not add up (a
 * path that changed type while read) keeps nothing.
 */
export function parseFileStates(stdout: string, list: readonly FileStateArgs[]): (FileState | undefined)[] {
  const unexpected = (): never => {
    throw new Error(`file states: unexpected output: ${stdout.slice(0, 200)}`);
  };
  let at = 0;
  const upTo = (end: string): string => {
    const endAt = stdout.indexOf(end, at);
    if (endAt < 0) unexpected();
    const text = stdout.slice(at, endAt);
    at = endAt + 1;
    return text;
  };
  const types = upTo('\n').split(' ').slice(0, -1);
  if (types.length !== list.length || !types.every((type) => FILE_TYPES.includes(type))) unexpected();
  const stats = types.map((type) => (type === 'absent' ? [] : Array.from({ length: 6 }, () => upTo('\0'))));
  if (upTo('\n') !== '') unexpected();
  const linked = [...upTo('\n')];
  if (linked.length !== list.length || linked.some((flag, index) => (flag === 'y') !== (types[index] === 'link'))) unexpected();
  // What a read alone keeps of a target: the text up to its first newline.
  const targets = linked.filter((flag) => flag === 'y').map(() => upTo('\0').split('\n')[0]!);
  if (upTo('\n') !== '') unexpected();
  const summed = [...upTo('\n')];
  const sums = stdout.slice(at).split('\n').slice(0, -1).map((text) => /^\\?([0-9a-f]{64}) /.exec(text)?.[1] ?? unexpected());
  if (sums.length !== summed.filter((flag) => flag === 'y').length) unexpected();
  return list.map((args, index) => {
    const type = types[index] as FileType;
    const sha256 = args.checksum ? (summed.shift() === 'y' ? sums.shift() : undefined) : undefined;
    if (args.checksum && (type === 'file') !== (sha256 !== undefined)) unexpected();
    if (type === 'absent') return { type };
    if (args.content && type === 'file' && !(args.checksum && args.unlessSha256 !== undefined && sha256 === args.unlessSha256)) return undefined;
    const [mode, size, owner, group, uid, gid] = stats[index]!;
    return {
      ...statedState(type, { mode, size, owner, group, uid, gid }),
      ...(type === 'link' ? { linkTarget: targets.shift() } : {}),
      ...(sha256 !== undefined ? { sha256 } : {}),
    };
  });
}

/** Throws with the command's error text when the script failed (e.g. permission denied). */
export function requireSuccess(result: ExecResult, what: string): void {
  if (result.code !== 0) throw new Error(`${what}: ${result.stderr.trim() || `exit code ${result.code}`}`);
}

export const fileState = defineFact<FileStateArgs, FileState>({
  name: 'file_state',
  command: (args) => `set -e\n${fileStateScript(args).text}`,
  parse(result, args) {
    requireSuccess(result, `reading ${args.path}`);
    return parseFileState(result.stdout);
  },
  many: { command: (list) => fileStatesScript(list).text, parse: parseFileStates },
});
