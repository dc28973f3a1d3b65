// Several paths read in one script (reads sent ahead), on a real shell (dash as /bin/sh, and bash): each
// path's state is exactly what its own read finds, or left to that read when it needs more (a file's
// content for a diff), and an odd answer keeps nothing.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileState, fileStatesScript, parseFileStates, type FileStateArgs } from '../../src/facts/file-state.js';

const run = promisify(execFile);
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

for (const program of ['sh', 'bash']) {
  describe(`file states of several paths in one script, on ${program}`, () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), "etcdops-states-'q "));
      writeFileSync(join(dir, 'plain'), 'a\n');
      chmodSync(join(dir, 'plain'), 0o644);
      writeFileSync(join(dir, "it's $HOME\nnewline"), 'b\n');
      chmodSync(join(dir, "it's $HOME\nnewline"), 0o4750);
      writeFileSync(join(dir, '-dash'), '');
      mkdirSync(join(dir, 'folder'));
      chmodSync(join(dir, 'folder'), 0o2755);
      symlinkSync(join(dir, 'plain'), join(dir, 'link'));
      symlinkSync('nowhere\nsecond line', join(dir, 'dangling'));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    async function alone(args: FileStateArgs) {
      const { stdout } = await run(program, ['-c', fileState.command(args)]);
      return fileState.parse({ stdout, stderr: '', code: 0 }, args);
    }
    async function together(list: readonly FileStateArgs[]) {
      const { stdout } = await run(program, ['-c', fileStatesScript(list).text]);
      return parseFileStates(stdout, list);
    }

    it('reads each path as its own read does: files, a folder, a missing path, a device, awkward names', async () => {
      const list: FileStateArgs[] = [
        { path: join(dir, 'plain'), checksum: true },
        { path: join(dir, "it's $HOME\nnewline"), checksum: true, content: true, unlessSha256: sha256('b\n') },
        { path: join(dir, '-dash'), checksum: true },
        { path: join(dir, 'plain') },
        { path: join(dir, 'folder'), checksum: true },
        { path: join(dir, 'missing'), checksum: true, content: true },
        { path: '/dev/null' },
        { path: join(dir, 'link'), checksum: true, content: true },
        { path: join(dir, 'dangling') },
      ];
      const states = await together(list);
      assert.deepStrictEqual(states, await Promise.all(list.map(alone)));
      assert.equal(states[0]!.sha256, sha256('a\n'));
      assert.equal(states[1]!.mode, '4750');
      assert.equal(states[4]!.mode, '2755');
      assert.deepStrictEqual(states[5], { type: 'absent' });
      assert.equal(states[7]!.linkTarget, join(dir, 'plain'));
      assert.equal(states[8]!.linkTarget, 'nowhere');
    });

    it('leaves to its own read a file whose content a diff wants', async () => {
      const list: FileStateArgs[] = [
        { path: join(dir, 'plain'), checksum: true, content: true, unlessSha256: sha256('other\n') },
        { path: join(dir, 'plain'), checksum: true, content: true },
        { path: join(dir, 'plain'), content: true },
        { path: join(dir, 'folder'), content: true },
      ];
      const states = await together(list);
      assert.deepStrictEqual(states.slice(0, 3), [undefined, undefined, undefined]);
      assert.deepStrictEqual(states[3], await alone(list[3]!));
    });

    it('reads paths none of which wants a checksum, and paths none of which exists', async () => {
      const list = [{ path: join(dir, 'plain') }, { path: join(dir, 'folder') }];
      assert.deepStrictEqual(await together(list), await Promise.all(list.map(alone)));
      const missing = [{ path: join(dir, 'x'), checksum: true }, { path: join(dir, 'y') }];
      assert.deepStrictEqual(await together(missing), [{ type: 'absent' }, { type: 'absent' }]);
    });
  });
}

describe('file states: an odd answer keeps nothing', () => {
  const list: FileStateArgs[] = [{ path: '/a', checksum: true }, { path: '/b' }];
  const fields = '644\u00002\u0000root\u0000root\u00000\u00000\u0000';
  const sum = `${'0'.repeat(64)}  /a\n`;

  it('reads a well-formed answer', () => {
    assert.equal(parseFileStates(`file absent \n${fields}\nnn\n\ny\n${sum}`, list)[0]!.sha256, '0'.repeat(64));
  });

  for (const [title, stdout] of [
    ['a path missing from the types', `file \n${fields}\nnn\n\ny\n${sum}`],
    ['an unknown type', `file weird \n${fields}\nnn\n\ny\n${sum}`],
    ['a stat cut short', `file absent \n644\u00002\u0000\nnn\n\ny\n${sum}`],
    ['a file that became a link between two looks', `file absent \n${fields}\nyn\n/x\u0000\nn\n`],
    ['a checksum missing', `file absent \n${fields}\nnn\n\ny\n`],
    ['a file that became a folder between two looks', `file absent \n${fields}\nnn\n\nn\n`],
    ['a checksum line that is not one', `file absent \n${fields}\nnn\n\ny\nsha256sum: /a: Permission denied\n`],
  ]) {
    it(title, () => assert.throws(() => parseFileStates(stdout, list), /file states: unexpected output/));
  }
});
