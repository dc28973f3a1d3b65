// Each booted host runs its own systemd, whose path units and getty take inotify instances from the one
// per-user budget of this machine; at the common default of 128, hosts past ~20 boot "degraded". `lab up`
// raises the limit before booting; `lab doctor` says what it is.
import { readFile, writeFile } from 'node:fs/promises';

const LIMIT_FILE = '/proc/sys/fs/inotify/max_user_instances';

/** The limit `lab up` sets: 30 hosts booted cleanly with it, and 100 ran a playbook race. */
export const LAB_INOTIFY_INSTANCES = 8192;

export async function inotifyInstanceLimit(): Promise<number | undefined> {
  const text = await readFile(LIMIT_FILE, 'utf8').catch(() => undefined);
  const value = Number(text?.trim());
  return text !== undefined && Number.isInteger(value) ? value : undefined;
}

/** Raises the limit to LAB_INOTIFY_INSTANCES when it is lower; returns the previous value when it did. */
export async function raiseInotifyInstanceLimit(): Promise<number | undefined> {
  const current = await inotifyInstanceLimit();
  if (current === undefined || current >= LAB_INOTIFY_INSTANCES) return undefined;
  await writeFile(LIMIT_FILE, `${LAB_INOTIFY_INSTANCES}\n`);
  return current;
}
