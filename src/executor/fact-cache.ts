// `--fact-cache DIR`: gathered facts kept between runs in Ansible's jsonfile layout (one JSON file per host,
// named after it, holding the `ansible_*` facts), so `hostvars` shows facts of hosts this run does not
// gather. Entries older than Ansible's default fact_caching_timeout (a day) are ignored.
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors/user-error.js';

const MAX_AGE_MS = 86_400_000;

/** A host name is a file name here: one that could leave the folder is never read or written. */
function fileOf(dir: string, host: string): string | undefined {
  return host === '' || host === '.' || host === '..' || host.includes('/') || host.includes('\0') ? undefined : join(dir, host);
}

export class FactCache {
  constructor(private readonly dir: string) {
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
    } catch (error) {
      throw new UserError(`--fact-cache ${dir}: cannot create the folder (${(error as Error).message}); give a writable folder`);
    }
  }

  /** The cached facts (prefixed) of a host, or undefined when there are none, too old, or unreadable. */
  read(host: string, now = Date.now()): Record<string, unknown> | undefined {
    const file = fileOf(this.dir, host);
    if (!file) return undefined;
    try {
      if (now - statSync(file).mtimeMs > MAX_AGE_MS) return undefined;
      const value = JSON.parse(readFileSync(file, 'utf8')) as unknown;
      return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
    } catch {
      // A missing or damaged entry is no entry: the host is gathered afresh when a play reaches it.
      return undefined;
    }
  }

  /** Writes a host's facts atomically (temporary file, then rename), owner-only. */
  write(host: string, facts: Readonly<Record<string, unknown>>): void {
    const file = fileOf(this.dir, host);
    if (!file) return;
    const temp = `${file}.${process.pid}.tmp`;
    try {
      writeFileSync(temp, `${JSON.stringify(facts)}\n`, { mode: 0o600 });
      renameSync(temp, file);
    } catch (error) {
      rmSync(temp, { force: true });
      throw new UserError(`--fact-cache: cannot write the facts of ${host} to ${file} (${(error as Error).message})`);
    }
  }
}

/** `ansible_facts` (un-prefixed) back to the `ansible_*` names a cache file holds. */
export function prefixedFacts(facts: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(facts).map(([name, value]) => [`ansible_${name}`, value]));
}

/** A cache file's `ansible_*` facts as host variables: each name, plus `ansible_facts` without the prefix. */
export function hostVariablesOf(cached: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const bare = Object.entries(cached).filter(([name]) => name.startsWith('ansible_')).map(([name, value]) => [name.slice('ansible_'.length), value]);
  return { ...cached, ansible_facts: Object.fromEntries(bare) };
}
