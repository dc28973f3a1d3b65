// get_url's facts in one round trip: the destination file (with its sha256) and, when the checksum is
// given as the URL of a SHA256SUMS file, that file's text, downloaded on the host.
import { ShellCode, sh } from '../connection/shell-quote.js';
import { defineFact } from './fact.js';
import { type FileState, fileStateScript, parseFileState, requireSuccess } from './file-state.js';
import { shownUrl, urlFetchScript } from './url-fetch-script.js';

export interface DownloadStateArgs {
  readonly dest: string;
  /** URL of a checksum list (`HEX  name` lines). */
  readonly checksumUrl?: string;
}

export interface DownloadState {
  readonly dest: FileState;
  /** The checksum list's text, when a URL was given. */
  readonly checksumList?: string;
}

const SEPARATOR = '--- etcdops checksum list';

export const downloadState = defineFact<DownloadStateArgs, DownloadState>({
  name: 'download_state',
  command(args) {
    const sums = args.checksumUrl
      ? sh`echo ${SEPARATOR}
${urlFetchScript(args.checksumUrl, new ShellCode('-'))}`
      : new ShellCode(':');
    return sh`set -e
${fileStateScript({ path: args.dest, checksum: true })}
${sums}`.text;
  },
  parse(result, args) {
    requireSuccess(result, args.checksumUrl ? `reading ${args.dest} or downloading ${shownUrl(args.checksumUrl)}` : `reading ${args.dest}`);
    const at = result.stdout.indexOf(`${SEPARATOR}\n`);
    if (at < 0) return { dest: parseFileState(result.stdout) };
    return {
      dest: parseFileState(result.stdout.slice(0, at)),
      checksumList: result.stdout.slice(at + SEPARATOR.length + 1),
    };
  },
});
