// blockinfile against the real Ansible: every case runs through ansible-playbook on a temp file and through
// etcdops's pure plan on the same bytes; the resulting file, changed and msg must be the same.
import { blockinfileModule } from '../../src/modules/blockinfile.js';
import { describeAgainstAnsible, type EditCase } from './text-edit-oracle.js';

const HOSTS = '127.0.0.1 localhost\n# lab\n10.0.0.1 a\n# lab\n10.0.0.2 b\n';
const BLOCK = '10.0.0.11 etcd-1\n10.0.0.12 etcd-2\n';
const WITH_BLOCK = `x\n# BEGIN ANSIBLE MANAGED BLOCK\nold\n# END ANSIBLE MANAGED BLOCK\ny\n`;
const CUSTOM = `x\n## start etcd ##\nold\n## stop etcd ##\ny\n`;

const cases: EditCase[] = [
  { name: 'new block at EOF', before: HOSTS, args: { block: BLOCK } },
  { name: 'block without final newline', before: HOSTS, args: { block: 'one\ntwo' } },
  { name: 'same block again: ok', before: `a\n# BEGIN ANSIBLE MANAGED BLOCK\n${BLOCK}# END ANSIBLE MANAGED BLOCK\n`, args: { block: BLOCK } },
  { name: 'existing block replaced in place', before: WITH_BLOCK, args: { block: BLOCK } },
  { name: 'existing block kept in place despite insertbefore BOF', before: WITH_BLOCK, args: { block: BLOCK, insertbefore: 'BOF' } },
  { name: 'insertbefore BOF', before: HOSTS, args: { block: BLOCK, insertbefore: 'BOF' } },
  { name: 'insertafter regex: after the last match', before: HOSTS, args: { block: BLOCK, insertafter: '^# lab' } },
  { name: 'insertbefore regex: before the last match', before: HOSTS, args: { block: BLOCK, insertbefore: '^# lab' } },
  { name: 'insertafter regex matching nothing: EOF', before: HOSTS, args: { block: BLOCK, insertafter: '^nothing' } },
  { name: 'insertbefore regex matching nothing: EOF', before: HOSTS, args: { block: BLOCK, insertbefore: '^nothing' } },
  { name: 'insertafter EOF', before: HOSTS, args: { block: BLOCK, insertafter: 'EOF' } },
  { name: 'insertafter the first line', before: HOSTS, args: { block: BLOCK, insertafter: 'localhost$' } },
  { name: 'multi-line insertafter pattern', before: HOSTS, args: { block: BLOCK, insertafter: '(?m)^# lab\\n10.0.0.1' } },
  { name: 'custom marker', before: CUSTOM, args: { block: 'new\n', marker: '## {mark} etcd ##', marker_begin: 'start', marker_end: 'stop' } },
  { name: 'custom marker, first time', before: HOSTS, args: { block: BLOCK, marker: '# {mark} etcd members' } },
  { name: 'state absent removes the block', before: WITH_BLOCK, args: { state: 'absent' } },
  { name: 'empty block removes the block', before: WITH_BLOCK, args: { block: '' } },
  { name: 'state absent without a block: ok', before: HOSTS, args: { state: 'absent' } },
  { name: 'state absent on a missing file', before: undefined, args: { state: 'absent', create: true } },
  { name: 'missing trailing newline before the block', before: 'a\nb', args: { block: BLOCK } },
  { name: 'missing trailing newline, insertafter that line', before: 'a\nb', args: { block: BLOCK, insertafter: '^b' } },
  { name: 'empty file', before: '', args: { block: BLOCK } },
  { name: 'create a missing file', before: undefined, args: { block: BLOCK, create: true } },
  { name: 'missing file without create fails', before: undefined, args: { block: BLOCK } },
  { name: 'only a begin marker: a new block is added', before: 'a\n# BEGIN ANSIBLE MANAGED BLOCK\nb\n', args: { block: BLOCK } },
  { name: 'markers in reverse order', before: 'a\n# END ANSIBLE MANAGED BLOCK\nb\n# BEGIN ANSIBLE MANAGED BLOCK\nc\n', args: { block: BLOCK } },
  { name: 'content is an alias of block', before: HOSTS, args: { content: 'aliased\n' } },
  { name: 'CRLF lines around', before: 'a\r\nb\r\n', args: { block: 'x\n', insertafter: '^a' } },
  { name: 'two blocks with different markers', before: WITH_BLOCK, args: { block: 'other\n', marker: '# {mark} OTHER' } },
  { name: 'block changed by one character', before: `# BEGIN ANSIBLE MANAGED BLOCK\n${BLOCK}# END ANSIBLE MANAGED BLOCK\n`, args: { block: BLOCK.replace('11', '21') } },
];

describeAgainstAnsible(blockinfileModule, cases);
