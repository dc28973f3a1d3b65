// When a member's database file is worth defragmenting: the free pages (the file's size minus the size in
// use) must be at least a number of MiB and at least a share of the file, both configurable. A pure rule,
// so `plan` and `--check` show the same decision the run makes, with the sizes it was made on.

export interface BackendSize {
  /** Bytes the database file takes on disk (etcd's dbSize). */
  readonly dbSize: number;
  /** Bytes of it in use (etcd's dbSizeInUse); the rest are free pages a defragmentation gives back. */
  readonly dbSizeInUse: number;
}

export interface DefragThresholds {
  /** Free bytes must reach this many MiB. */
  readonly minFreeMiB: number;
  /** Free bytes must reach this percentage of the file. */
  readonly minFreePercent: number;
}

export interface DefragDecision {
  readonly defragment: boolean;
  readonly freeBytes: number;
  /** Free share of the file, 0-100, one decimal. */
  readonly freePercent: number;
  /** The sizes and thresholds, in words a user can check. */
  readonly reason: string;
}

const MIB = 1024 * 1024;

/** Bytes as MiB with one decimal, as users read database sizes. */
export function mib(bytes: number): string {
  return `${(bytes / MIB).toFixed(1)} MiB`;
}

/** `force` defragments whatever the sizes (NOSPACE recovery), still saying what they are. */
export function defragDecision(size: BackendSize, thresholds: DefragThresholds, force = false): DefragDecision {
  const freeBytes = Math.max(0, size.dbSize - size.dbSizeInUse);
  const freePercent = size.dbSize > 0 ? Math.round((freeBytes / size.dbSize) * 1000) / 10 : 0;
  const sizes = `db size ${mib(size.dbSize)}, in use ${mib(size.dbSizeInUse)}, free ${mib(freeBytes)} (${freePercent}%)`;
  if (force) return { defragment: true, freeBytes, freePercent, reason: `${sizes}: every member is defragmented to recover space` };
  const enoughBytes = freeBytes >= thresholds.minFreeMiB * MIB;
  const enoughShare = freePercent >= thresholds.minFreePercent;
  const rule = `at least ${thresholds.minFreeMiB} MiB and ${thresholds.minFreePercent}% free`;
  if (enoughBytes && enoughShare) return { defragment: true, freeBytes, freePercent, reason: `${sizes}: ${rule} is reached` };
  const short = [!enoughBytes && `under ${thresholds.minFreeMiB} MiB`, !enoughShare && `under ${thresholds.minFreePercent}%`].filter(Boolean).join(' and ');
  return { defragment: false, freeBytes, freePercent, reason: `${sizes}: ${short} free, the rule needs ${rule}` };
}
