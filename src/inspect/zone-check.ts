// Zone spread as an inspection: whether losing any one zone (etcd_zone of the hosts) loses the quorum.
import { zoneSpread, zoneSpreadFinding, type ZonedMember, type ZoneSpread } from '../etcd/zone-spread.js';
import { checkReport, type CheckReport } from './check-report.js';
import { Severity } from './severity.js';

/** Pure: a zone whose loss stops the cluster is a warning; without any etcd_zone there is nothing to judge. */
export function judgeZones(members: readonly ZonedMember[]): CheckReport<ZoneSpread> {
  const spread = zoneSpread(members);
  if (spread.zones.length === 0) return checkReport('no host has etcd_zone', [], spread);
  const zones = spread.zones.map((z) => `${z.zone}: ${z.members.join(', ')}`).join('; ');
  if (spread.fatal.length === 0) return checkReport(`losing any one zone keeps the quorum (${zones})`, [], spread);
  return checkReport(`losing zone ${spread.fatal[0]!.zone} loses the quorum (${zones})`, [{ severity: Severity.WARNING, message: `${zoneSpreadFinding(spread)}: move members to other zones (scale-out.yml, then remove-member.yml)` }], spread);
}
