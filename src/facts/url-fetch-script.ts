// Downloading on a host with whichever of curl or wget it has; shared by get_url's gather and apply.
// http(s) only, also across redirects, and the URL after `--` so it can never be read as an option.
import { ShellCode, sh } from '../connection/shell-quote.js';

/** Shell code that downloads `url` into `target` (a shell word such as "$t", or "-" for stdout). */
export function urlFetchScript(url: string, target: ShellCode): ShellCode {
  return sh`if command -v curl >/dev/null 2>&1; then curl -fsSL --proto =http,https --proto-redir =http,https --retry 2 -o ${target} -- ${url}
elif command -v wget >/dev/null 2>&1; then wget -q -O ${target} -- ${url}
else echo 'neither curl nor wget is installed' >&2; exit 127; fi`;
}

/**
 * Shell code that downloads the URL given as the first line of its stdin into `target`: the URL never
 * reaches a command line (any user on the host sees those with `ps`), only builtins and curl's or wget's
 * stdin. The URL must hold no quote, backslash or line break (see urlOnStdin).
 */
export function urlFromStdinFetchScript(target: ShellCode): ShellCode {
  return sh`IFS= read -r u
if command -v curl >/dev/null 2>&1; then printf 'url = "%s"\n' "$u" | curl -fsSL --proto =http,https --proto-redir =http,https --retry 2 -o ${target} -K -
elif command -v wget >/dev/null 2>&1; then printf '%s\n' "$u" | wget -q -O ${target} -i -
else echo 'neither curl nor wget is installed' >&2; exit 127; fi`;
}

/** The stdin of urlFromStdinFetchScript; throws for a URL that curl's config or wget's list would misread. */
export function urlOnStdin(url: string): string {
  if (/["\\\u0000-\u001f\u007f]/.test(url)) throw new Error('the URL holds a quote, a backslash or a control character: percent-encode it (%22, %5C)');
  return `${url}\n`;
}
