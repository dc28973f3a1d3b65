// Where a rendered text ends, in task arguments and template files, with ansible-playbook as the oracle:
// `{{ x | to_nice_yaml }}` on a template's last line ends in one newline, not two, and CRLF line breaks
// are written as LF; a file lookup strips the file's trailing whitespace, not one newline; a `#jinja2:` first
// line sets how its template is read and is not written.
import { throws } from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderJinja } from '../../src/playbook/jinja-engine.js';
import { writesSameFilesAsAnsible } from './ansible-playbook.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/cli/${name}`, import.meta.url));

/** The template files the play renders, written here so their bytes (CR, trailing blanks) are exact. */
const TEMPLATES: Readonly<Record<string, string>> = {
  'crlf.j2': 'a\r\n{{ x | to_nice_yaml }}\r\n',
  'block-last.j2': '{% if true %}\nyes\n{% endif %}\n',
  'yaml-last.j2': '{{ x | to_nice_yaml }}\n\n',
  'no-newline.j2': 'no newline {{ 1 }}',
  'spaced.txt': '  text \t\n\n',
  'header.j2': '#jinja2: trim_blocks: False\n{% if true %}\nx\n{% endif %}\n',
  'header-lstrip.j2': '#jinja2: lstrip_blocks: True, trim_blocks: False\n  {% if true %}\ny\n  {% endif %}\n',
  'header-keep.j2': '#jinja2: keep_trailing_newline: True\n{{ "a" }}\n',
};

describe('how template text is read and where it ends, with ansible-playbook as the oracle', function () {
  this.timeout(90_000);
  let templates: string;
  before(() => {
    templates = mkdtempSync(join(tmpdir(), 'etcdops-templates-'));
    for (const [name, text] of Object.entries(TEMPLATES)) writeFileSync(join(templates, name), text);
  });
  after(() => rmSync(templates, { recursive: true, force: true }));

  it('refuses a #jinja2: setting it cannot follow, naming it', () => {
    throws(() => renderJinja('#jinja2: block_start_string: "<%"\n<% if x %>', {}, { file: 't.j2' }), /t\.j2.*the #jinja2: line sets block_start_string, which etcdops does not/);
  });

  it('writes the same files with the same bytes', () =>
    writesSameFilesAsAnsible(fixture('trailing-newlines/play.yml'), fixture('python-printing/inventory.ini'), () => ['-e', `templates=${templates}`]));
});
