// The endpoints a cluster call tries, in order: voting members before learners, which refuse most calls.
import { deepStrictEqual } from 'node:assert/strict';
import type { MemberInfo } from '../../src/etcd/membership.js';
import { clientUrlsVotersFirst } from '../../src/modules/etcd-targets.js';

const member = (name: string, isLearner = false, clientURLs = [`https://${name}:2379`]): MemberInfo => ({ id: `${name}id`, name, peerURLs: [], clientURLs, isLearner });

describe('clientUrlsVotersFirst', () => {
  const rows: [what: string, members: MemberInfo[], urls: string[]][] = [
    ['a standby learner listed first (etcd lists by ID) goes last', [member('n4', true), member('n2'), member('n1')], ['https://n2:2379', 'https://n1:2379', 'https://n4:2379']],
    ['voters keep their order', [member('n1'), member('n2'), member('n3')], ['https://n1:2379', 'https://n2:2379', 'https://n3:2379']],
    ['a member not started yet has no URL', [member('n5', true, []), member('n1')], ['https://n1:2379']],
    ['a URL shared by two entries is tried once', [member('n1', false, ['https://a:2379']), member('n2', false, ['https://a:2379'])], ['https://a:2379']],
  ];
  for (const [what, members, urls] of rows) it(what, () => deepStrictEqual(clientUrlsVotersFirst(members), urls));
});
