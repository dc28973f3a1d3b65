// Version skew: members running different etcd releases. Different minors are only right halfway through
// an upgrade (the cluster runs at the older minor's features); different patches are tolerable by choice.
import { checkReport, type CheckReport, type Finding } from './check-report.js';
import type { MemberStatus } from './member-status.js';
import { Severity } from './severity.js';

/** How much skew is not a finding: none, or patch releases of one minor. */
export type AllowedSkew = 'none' | 'patch';
export const ALLOWED_SKEWS: readonly AllowedSkew[] = ['none', 'patch'];

export interface VersionsData {
  readonly allowed: AllowedSkew;
  /** Version → members running it, most common first. */
  readonly versions: readonly { readonly version: string; readonly members: readonly string[] }[];
}

const minorOf = (version: string) => version.split('.').slice(0, 2).join('.');

/** Pure: different minors are a warning (finish or roll back the upgrade); different patches too unless allowed. */
export function judgeVersions(members: readonly MemberStatus[], allowed: AllowedSkew): CheckReport<VersionsData> {
  const byVersion = new Map<string, string[]>();
  for (const m of members) if (m.version !== null) byVersion.set(m.version, [...(byVersion.get(m.version) ?? []), m.member]);
  const versions = [...byVersion.entries()].map(([version, names]) => ({ version, members: names })).sort((a, b) => b.members.length - a.members.length || (a.version < b.version ? -1 : 1));
  const data = { allowed, versions };
  const findings: Finding[] = members
    .filter((m) => m.version === null)
    .map((m) => ({ severity: Severity.WARNING, member: m.member, message: `member ${m.member} did not tell its version: ${m.error ?? 'no answer'}` }));
  if (versions.length === 0) return checkReport('no member told its version', findings, data);
  if (versions.length === 1) return checkReport(`every member that answered runs ${versions[0]!.version}`, findings, data);
  const minors = new Set(versions.map((v) => minorOf(v.version)));
  const usual = versions[0]!;
  if (minors.size > 1 || allowed === 'none') {
    const what = minors.size > 1 ? 'different minor releases: finish the upgrade (upgrade.yml) or roll it back' : 'different patch releases: run upgrade.yml to align them, or accept with --allowed-version-skew patch';
    for (const v of versions.slice(1)) {
      for (const member of v.members) findings.push({ severity: Severity.WARNING, member, message: `member ${member} runs ${v.version} where ${usual.members.join(', ')} run ${usual.version}: ${what}` });
    }
  }
  return checkReport(`versions: ${versions.map((v) => `${v.version} (${v.members.join(', ')})`).join(', ')}`, findings, data);
}
