// Whether an archive on a host is already extracted: its member list compared with what exists under
// the destination, in one round trip (tar lists, the shell tests each member).
import { sh } from '../connection/shell-quote.js';
import { defineFact } from './fact.js';
import { requireSuccess } from './file-state.js';

export interface ArchiveExtractedArgs {
  readonly src: string;
  readonly dest: string;
}

export type ArchiveExtracted =
  | { readonly archive: false }
  | { readonly archive: true; readonly members: number; readonly missing: readonly string[] };

export const archiveExtracted = defineFact<ArchiveExtractedArgs, ArchiveExtracted>({
  name: 'archive_extracted',
  command: ({ src, dest }) =>
    sh`set -e
[ -f ${src} ] || { echo no-archive; exit 0; }
tar -tf ${src} > /dev/null
tar -tf ${src} | while IFS= read -r e; do
if [ -e ${dest}/"$e" ] || [ -L ${dest}/"$e" ]; then echo "present $e"; else echo "missing $e"; fi
done`.text,
  parse(result) {
    requireSuccess(result, 'listing the archive');
    if (result.stdout.trim() === 'no-archive') return { archive: false };
    const lines = result.stdout.split('\n').filter(Boolean);
    return {
      archive: true,
      members: lines.length,
      missing: lines.filter((l) => l.startsWith('missing ')).map((l) => l.slice('missing '.length)),
    };
  },
});
