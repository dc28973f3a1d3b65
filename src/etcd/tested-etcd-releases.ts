// The etcd releases etcdops is tested with: the lab's mirror serves each of them and the end-to-end suites
// build, upgrade and restore clusters on them. The newest of a minor line is the patch a safe path names.
import type Semver from 'semver';
import { onFirstUse } from '../startup/on-first-use.js';

const semver = onFirstUse<typeof Semver>('semver');

export const TESTED_ETCD_RELEASES: readonly string[] = ['3.4.23', '3.5.16', '3.5.30'];

/** The newest tested release of `major.minor` at or above `atLeast`, or null when none is. */
export function newestTestedPatch(major: number, minor: number, atLeast = '0.0.0'): string | null {
  const line = TESTED_ETCD_RELEASES.filter((v) => semver().major(v) === major && semver().minor(v) === minor && semver().gte(v, atLeast));
  return line.sort(semver().rcompare)[0] ?? null;
}
