// What a user should hear about the number of voting members before building it: etcd's own advice is an
// odd number, at most 7 (etcd FAQ, "What is maximum cluster size?" and "Why an odd number of cluster
// members?"). An even count tolerates no more failures than one member fewer and needs a larger quorum;
// above 7 every write waits for more members to persist it, and membership changes grow riskier.

/** Voters a quorum needs, and how many may fail. */
export function quorumOf(voters: number): { readonly quorum: number; readonly tolerates: number } {
  const quorum = Math.floor(voters / 2) + 1;
  return { quorum, tolerates: voters - quorum };
}

/** The warnings for `voters` voting members: none for 1, 3, 5 or 7. */
export function memberCountWarnings(voters: number): string[] {
  const warnings: string[] = [];
  const { quorum, tolerates } = quorumOf(voters);
  if (voters > 0 && voters % 2 === 0) {
    const fewer = quorumOf(voters - 1);
    warnings.push(
      `${voters} voting members: an even count tolerates ${tolerates} failed member${tolerates === 1 ? '' : 's'} (quorum ${quorum}), no more than ${voters - 1} members (quorum ${fewer.quorum}), while a partition can split it evenly; use an odd count, ${voters - 1} or ${voters + 1}`,
    );
  }
  if (voters > 7) {
    warnings.push(`${voters} voting members: etcd recommends at most 7; every write waits for ${quorum} members to persist it. Keep 3, 5 or 7 voters and add the others as standby learners (etcd_learner: true) if they must hold a copy`);
  }
  return warnings;
}
