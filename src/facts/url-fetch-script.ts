// Downloading on a host with whichever of curl or wget it has; shared by get_url's gather and apply.
// http(s) only, also across redirects, and the URL after `--` so it can never be read as an option.
import { ShellCode, sh } from '../connection/shell-quote.js';

/** Shell code that downloads `url` into `target` (a shell word such as "$t", or "-" for stdout). */
export function urlFetchScript(url: string, target: ShellCode): ShellCode {
  return sh`if command -v curl >/dev/null 2>&1; then curl -fsSL --proto =http,https --proto-redir =http,https --retry 2 -o ${target} -- ${url}
elif command -v wget >/dev/null 2>&1; then wget -q -O ${target} -- ${url}
else echo 'neither curl nor wget is installed' >&2; exit 127; fi`;
}
