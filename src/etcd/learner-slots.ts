// etcd admits one learner at a time, and every member etcdops adds joins as a learner first. In 3.5 the
// limit cannot be raised: `etcd --help` of 3.5.16 and 3.5.30 has no max-learners flag (checked on the lab's
// binaries). A standby learner (etcd_learner: true), never promoted, holds that one place for good: a join
// next to it would fail half-way at `member add` ("too many learner members"). So scale-out.yml and
// replace-member.yml refuse up front, naming the learner and the way out.

/** Learners etcd admits at a time. */
export const MAX_LEARNERS = 1;

/** Why `joining` cannot be added next to the standby learners, or '' when they can. */
export function learnerSlotProblem(standby: readonly string[], joining: readonly string[]): string {
  const blocked = joining.filter((host) => !standby.includes(host));
  if (standby.length < MAX_LEARNERS || blocked.length === 0) return '';
  const learner = standby.join(', ');
  const first = standby[0]!;
  return (
    `cannot add ${blocked.join(', ')} while the standby learner ${learner} is a member: etcd admits ${MAX_LEARNERS} learner at a time and a new member joins as a learner first. ` +
    `Either promote the standby (playbooks/promote-standby.yml -e member=${first}), or take ${first} out of the inventory group, remove it (playbooks/remove-member.yml -e member=${first}), ` +
    `run this again, then put it back and run playbooks/scale-out.yml to add it as a standby again`
  );
}
