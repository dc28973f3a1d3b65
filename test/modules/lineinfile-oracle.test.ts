// lineinfile against the real Ansible: every case runs through ansible-playbook on a temp file and through
// etcdops's pure plan on the same bytes; the resulting file, changed, msg and found must be the same.
import { lineinfileModule } from '../../src/modules/lineinfile.js';
import { describeAgainstAnsible, type EditCase } from './text-edit-oracle.js';

const CONF = 'a=1\nb=2\n# comment\nb=3\nc=4\n';

const cases: EditCase[] = [
  { name: 'line missing: appended at EOF', before: CONF, args: { line: 'd=5' } },
  { name: 'line already present: ok', before: CONF, args: { line: 'b=2' } },
  { name: 'regexp matches the last of two lines', before: CONF, args: { regexp: '^b=', line: 'b=9' } },
  { name: 'regexp with firstmatch replaces the first', before: CONF, args: { regexp: '^b=', line: 'b=9', firstmatch: true } },
  { name: 'regexp matches nothing: appended', before: CONF, args: { regexp: '^z=', line: 'z=1' } },
  { name: 'regexp matches the line as wanted: ok', before: CONF, args: { regexp: '^c=', line: 'c=4' } },
  { name: 'regexp matches the first line', before: CONF, args: { regexp: '^a=', line: 'a=0' } },
  { name: 'backrefs expand groups', before: CONF, args: { regexp: '^(b)=(\\d)$', line: '\\1 is \\2', backrefs: true } },
  { name: 'backrefs with named groups', before: CONF, args: { regexp: '^(?P<k>c)=(?P<v>\\d)', line: '\\g<k>: \\g<v>', backrefs: true } },
  { name: 'backrefs without a match: unchanged', before: CONF, args: { regexp: '^zz=(.*)', line: 'zz=\\1', backrefs: true } },
  { name: 'insertafter regex: after the last match', before: CONF, args: { line: 'new', insertafter: '^b=' } },
  { name: 'insertafter regex with firstmatch', before: CONF, args: { line: 'new', insertafter: '^b=', firstmatch: true } },
  { name: 'insertafter regex matching nothing: EOF', before: CONF, args: { line: 'new', insertafter: '^nothing' } },
  { name: 'insertafter the last line', before: CONF, args: { line: 'new', insertafter: '^c=' } },
  { name: 'insertafter where the line already follows: ok', before: 'x\nnew\ny\n', args: { line: 'new', insertafter: '^x' } },
  { name: 'insertbefore regex', before: CONF, args: { line: 'new', insertbefore: '^# comment' } },
  { name: 'insertbefore BOF', before: CONF, args: { line: 'first', insertbefore: 'BOF' } },
  { name: 'insertafter BOF', before: CONF, args: { line: 'first', insertafter: 'BOF' } },
  { name: 'insertafter EOF', before: CONF, args: { line: 'last', insertafter: 'EOF' } },
  { name: 'insertbefore the first line', before: CONF, args: { line: 'new', insertbefore: '^a=' } },
  { name: 'regexp and insertafter: regexp wins when it matches', before: CONF, args: { regexp: '^c=', line: 'c=7', insertafter: '^a=' } },
  { name: 'regexp and insertafter: insertafter when it does not', before: CONF, args: { regexp: '^q=', line: 'q=7', insertafter: '^a=' } },
  { name: 'missing trailing newline: appended on a new line', before: 'a=1\nb=2', args: { line: 'c=3' } },
  { name: 'missing trailing newline: last line replaced', before: 'a=1\nb=2', args: { regexp: '^b=', line: 'b=5' } },
  { name: 'missing trailing newline: same line gets a newline', before: 'a=1\nb=2', args: { regexp: '^b=', line: 'b=2' } },
  { name: 'missing trailing newline: insertafter the last line', before: 'a=1\nb=2', args: { line: 'c', insertafter: '^b=' } },
  { name: 'empty file', before: '', args: { line: 'only' } },
  { name: 'create a missing file', before: undefined, args: { line: 'made', create: true } },
  { name: 'missing file without create fails', before: undefined, args: { line: 'x' } },
  { name: 'search_string replaces', before: CONF, args: { search_string: 'b=', line: 'b=0' } },
  { name: 'search_string matching nothing: appended', before: CONF, args: { search_string: 'nope', line: 'yes' } },
  { name: 'absent with several matching lines', before: CONF, args: { state: 'absent', regexp: '^b=' } },
  { name: 'absent by exact line', before: CONF, args: { state: 'absent', line: 'c=4' } },
  { name: 'absent matching nothing', before: CONF, args: { state: 'absent', regexp: '^none' } },
  { name: 'absent with search_string', before: CONF, args: { state: 'absent', search_string: 'comment' } },
  { name: 'absent on a missing file', before: undefined, args: { state: 'absent', line: 'x' } },
  { name: 'regexp with $ at end of line', before: 'port 22\nport 2222\n', args: { regexp: '^port 22$', line: 'port 23' } },
  { name: 'case-insensitive inline flag', before: 'Key=1\n', args: { regexp: '(?i)^key=', line: 'key=2' } },
  { name: 'backrefs keeping spacing', before: 'GRUB_CMDLINE="quiet"\n', args: { regexp: '^(GRUB_CMDLINE=")(.*)"$', line: '\\1\\2 splash"', backrefs: true } },
  { name: 'present without line fails', before: CONF, args: { regexp: '^a' } },
  { name: 'backrefs without regexp fails', before: CONF, args: { line: 'x', backrefs: true } },
  { name: 'CRLF line matches exactly', before: 'a\r\nb\r\n', args: { line: 'a' } },
];

describeAgainstAnsible(lineinfileModule, cases);
