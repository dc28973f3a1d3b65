// The POSIX sh script behind every file write on a host: fill a temp file in the destination's folder,
// give it the right owner and mode, then rename it over the destination, so readers never see half a file.
import { ShellCode, sh } from './shell-quote.js';

export interface AtomicWriteOptions {
  /** Octal mode such as "0644"; when absent an existing file keeps its mode, a new one gets 0666 & ~umask. */
  readonly mode?: string;
  /** Owner name or uid; when absent an existing file keeps its owner. */
  readonly owner?: string;
  readonly group?: string;
  /**
   * Shell code that writes the new content into "$t" (the temp file) and exits non-zero on failure.
   * Defaults to copying standard input.
   */
  readonly fill?: ShellCode;
}

/** Builds the write script for `dest`; with the default `fill`, send the content as the command's stdin. */
export function atomicWriteScript(dest: string, options: AtomicWriteOptions = {}): ShellCode {
  const fill = options.fill ?? new ShellCode('cat > "$t"');
  const ownership = options.owner
    ? sh`chown ${options.group ? `${options.owner}:${options.group}` : options.owner} -- "$t"`
    : options.group
      ? sh`chgrp ${options.group} -- "$t"`
      : new ShellCode(':');
  // The temp file (0600 from mktemp) already holds the content: it goes straight to the mode asked for, never
  // through the old file's or the umask's mode first, which would show a new key to others for a moment.
  const mode = options.mode
    ? sh`chmod ${options.mode} -- "$t"`
    : new ShellCode(`if [ -e "$d" ]; then chmod --reference="$d" -- "$t"; else chmod "$(printf '%o' $((0666 & ~$(umask))))" -- "$t"; fi`);
  return sh`set -e
d=${dest}
t=$(mktemp "$(dirname -- "$d")/.etcdops.XXXXXX")
trap 'rm -f -- "$t"' EXIT
${fill}
if [ -e "$d" ]; then chown --reference="$d" -- "$t" 2>/dev/null || :; fi
${ownership}
${mode}
mv -f -- "$t" "$d"
trap - EXIT`;
}
