// Whether a membership survives the loss of any one zone: the voting members outside the zone must still
// make a quorum (a majority of all voters). Learners do not vote, so they neither help nor hurt. A voter
// with no zone given counts as a zone of its own: etcdops cannot know it shares a failure with another.

export interface ZonedMember {
  readonly name: string;
  /** `etcd_zone` of its host, or undefined. */
  readonly zone?: string;
  /** Standby learners (etcd_learner: true) do not vote. */
  readonly voter: boolean;
}

export interface ZoneSpread {
  /** Voters per zone (zone name → member names), in first-seen order; members without a zone are left out. */
  readonly zones: readonly { readonly zone: string; readonly members: readonly string[] }[];
  readonly voters: number;
  readonly quorum: number;
  /** Zones whose loss leaves fewer voters than the quorum, largest first. */
  readonly fatal: readonly { readonly zone: string; readonly members: readonly string[]; readonly left: number }[];
}

export function zoneSpread(members: readonly ZonedMember[]): ZoneSpread {
  const voters = members.filter((m) => m.voter);
  const quorum = Math.floor(voters.length / 2) + 1;
  const byZone = new Map<string, string[]>();
  for (const m of voters) if (m.zone !== undefined && m.zone !== '') byZone.set(m.zone, [...(byZone.get(m.zone) ?? []), m.name]);
  const zones = [...byZone].map(([zone, names]) => ({ zone, members: names }));
  const fatal = zones
    .map((z) => ({ ...z, left: voters.length - z.members.length }))
    .filter((z) => z.left < quorum)
    .sort((a, b) => b.members.length - a.members.length);
  return { zones, voters: voters.length, quorum, fatal };
}

/** What is wrong: which zone, how many of the voters it holds, and what losing it leaves. */
export function zoneSpreadFinding(spread: ZoneSpread): string {
  const worst = spread.fatal[0]!;
  return `zone ${worst.zone} holds ${worst.members.length} of the ${spread.voters} voting members (${worst.members.join(', ')}): losing it leaves ${worst.left}, fewer than the quorum of ${spread.quorum}`;
}

/** The refusal's words: the finding and the ways out. */
export function zoneSpreadMessage(spread: ZoneSpread): string {
  return `${zoneSpreadFinding(spread)}, so the cluster would stop. Spread the members over more zones (etcd_zone per host), or accept it with -e etcd_allow_zone_majority=true`;
}
