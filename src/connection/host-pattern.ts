// The host field of a known_hosts line, matched as OpenSSH matches it: a hashed `|1|salt|hash` name, or a
// comma list of patterns with `*`/`?` wildcards where a matching `!pattern` vetoes the whole line.
import { createHmac } from 'node:crypto';

/**
 * The name a host is recorded under, as ssh writes it: lower case, `host` on port 22, `[host]:port`
 * on any other port.
 */
export function hostToken(host: string, port: number): string {
  const name = host.toLowerCase();
  return port === 22 ? name : `[${name}]:${port}`;
}

/** `*` matches any run of characters, `?` exactly one; nothing else is special (no classes, no escapes). */
export function globMatches(text: string, pattern: string): boolean {
  let t = 0;
  let p = 0;
  // Where the last `*` was, and the text position it currently stands for: backtracking resumes there.
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === text[t])) {
      t++;
      p++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      resume = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

const MAX_PATTERN_LENGTH = 1023;

/**
 * A comma list of patterns against a host token: 1 if a positive pattern matches and no negated one
 * does, -1 if a `!pattern` matches (the line is then not for this host), 0 otherwise. Patterns compare
 * case-insensitively, like OpenSSH's match_hostname.
 */
export function matchPatternList(token: string, list: string): 1 | 0 | -1 {
  const name = token.toLowerCase();
  let positive = false;
  for (const entry of list.split(',')) {
    const negated = entry.startsWith('!');
    const pattern = (negated ? entry.slice(1) : entry).toLowerCase();
    // OpenSSH copies each pattern into a 1024-byte buffer and gives up on the whole list when one does not fit.
    if (pattern.length >= MAX_PATTERN_LENGTH) return 0;
    if (!globMatches(name, pattern)) continue;
    if (negated) return -1;
    positive = true;
  }
  return positive ? 1 : 0;
}

/** `|1|salt|hash`: HMAC-SHA1 of the token keyed with the salt, both base64, as `ssh-keygen -H` writes them. */
function hashedMatches(token: string, field: string): boolean | undefined {
  const parts = field.split('|');
  if (parts.length !== 4 || parts[1] !== '1') return undefined;
  const salt = Buffer.from(parts[2]!, 'base64');
  const hash = Buffer.from(parts[3]!, 'base64');
  if (salt.length !== 20 || hash.length !== 20) return undefined;
  return createHmac('sha1', salt).update(token).digest().equals(hash);
}

/**
 * Whether a known_hosts host field names this token: true, false, or undefined when a hashed field is
 * malformed (OpenSSH skips such a line as invalid).
 */
export function hostFieldMatches(token: string, field: string): boolean | undefined {
  if (field.startsWith('|')) return hashedMatches(token, field);
  return matchPatternList(token, field) === 1;
}
