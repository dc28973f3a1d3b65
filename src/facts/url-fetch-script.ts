// Downloading on a host with whichever of curl or wget it has; shared by get_url's gather and apply.
// http(s) only, also across redirects. The URL (which may carry a password: https://user:PASSWORD@...)
// never reaches a command line, which any user on the host sees with `ps`: the shell's builtin printf
// hands it to curl's config or wget's URL list on their stdin. Scripts reach the host's shell on stdin
// too (script-on-stdin), so a URL written into the script is no more visible than one read from stdin.
import { ShellCode, sh } from '../connection/shell-quote.js';

/** The URL as outputs show it: a password in it (https://user:PASSWORD@host/...) is hidden. */
export function shownUrl(url: string): string {
  return url.replace(/^(https?:\/\/[^/@:]*):[^/@]*@/, '$1:********@');
}

/** Throws for a URL that curl's config or wget's list would misread. */
function checkUrl(url: string): void {
  if (/["\\\u0000-\u001f\u007f]/.test(url)) throw new Error('the URL holds a quote, a backslash or a control character: percent-encode it (%22, %5C)');
}

/** Shell code that downloads the URL held in the shell variable `u` into `target`. */
function fetchUrlInVariable(target: ShellCode): ShellCode {
  return sh`if command -v curl >/dev/null 2>&1; then printf 'url = "%s"\n' "$u" | curl -fsSL --proto =http,https --proto-redir =http,https --retry 2 -o ${target} -K -
elif command -v wget >/dev/null 2>&1; then printf '%s\n' "$u" | wget -q -O ${target} -i -
else echo 'neither curl nor wget is installed' >&2; exit 127; fi`;
}

/** Shell code that downloads `url` into `target` (a shell word such as "$t", or "-" for stdout). */
export function urlFetchScript(url: string, target: ShellCode): ShellCode {
  checkUrl(url);
  return sh`u=${url}
${fetchUrlInVariable(target)}`;
}

/**
 * Shell code that downloads the URL given as the first line of its stdin into `target`. The URL must
 * hold no quote, backslash or line break (see urlOnStdin).
 */
export function urlFromStdinFetchScript(target: ShellCode): ShellCode {
  return sh`IFS= read -r u
${fetchUrlInVariable(target)}`;
}

/** The stdin of urlFromStdinFetchScript; throws for a URL that curl's config or wget's list would misread. */
export function urlOnStdin(url: string): string {
  checkUrl(url);
  return `${url}\n`;
}
