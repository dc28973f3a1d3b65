// The framing that sends a script on stdin instead of on a command line: run through this machine's
// /bin/sh, each script sees exactly the input it was given (quotes, NULs, newlines, large payloads), a
// script without a final newline or ending in a here-doc still runs, exit codes and stderr come back,
// a cut stream runs nothing, and the command line never holds the script.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { scriptOnStdin } from '../../src/connection/script-on-stdin.js';

interface Ran {
  readonly stdout: Buffer;
  readonly stderr: string;
  readonly code: number | null;
}

function runFramed(script: string, payload?: string | Buffer, keepBytes?: number): Ran {
  const framed = scriptOnStdin(script, payload);
  const input = keepBytes === undefined ? framed.stdin : framed.stdin.subarray(0, keepBytes);
  const out = spawnSync('/bin/sh', ['-c', framed.line], { input, maxBuffer: 64 << 20 });
  return { stdout: out.stdout, stderr: out.stderr.toString('utf8'), code: out.status };
}

const QUOTES = `it's "quoted" \`tick\` $HOME \\ back`;
const BINARY = Buffer.from([0, 1, 0, 255, 10, 39, 34, 0]);
const LARGE = Buffer.alloc(3 << 20, 'x\0y\n');

describe('scriptOnStdin', () => {
  const payloadCases: { what: string; script: string; payload?: string | Buffer; stdout: Buffer | string }[] = [
    { what: 'text with quotes and expansions, passed through untouched', script: 'cat', payload: QUOTES, stdout: QUOTES },
    { what: 'NUL bytes in the payload', script: 'cat', payload: BINARY, stdout: BINARY },
    { what: 'newlines only', script: 'cat', payload: '\n\n\n', stdout: '\n\n\n' },
    { what: 'a payload that looks like the end mark', script: 'cat', payload: '#etcdops-script-end\n', stdout: '#etcdops-script-end\n' },
    { what: 'a large payload (3 MiB)', script: 'cat', payload: LARGE, stdout: LARGE },
    { what: 'no payload: the script reads end of input', script: 'cat; echo done', stdout: 'done\n' },
    { what: 'a line read, then the rest', script: 'IFS= read -r a; printf "[%s]" "$a"; cat', payload: 'one\ntwo', stdout: '[one]two' },
    { what: 'a script without a final newline', script: 'printf a; printf b', stdout: 'ab' },
    { what: 'a script ending in a here-doc', script: 'cat <<EOF\nhere $((1 + 1))\nEOF', stdout: 'here 2\n' },
    { what: 'quotes and multibyte text in the script', script: `printf '%s\\n' ${`'${QUOTES.replace(/'/g, `'\\''`)}'`} "é€"`, stdout: `${QUOTES}\né€\n` },
    { what: 'set -e in the script stops it', script: 'set -e\nfalse\necho not reached', stdout: '' },
    { what: 'a large script (1 MiB of commands)', script: `${':\n'.repeat(1 << 19)}echo big`, stdout: 'big\n' },
  ];
  for (const c of payloadCases) {
    it(c.what, () => {
      const ran = runFramed(c.script, c.payload);
      assert.deepEqual(ran.stdout, Buffer.isBuffer(c.stdout) ? c.stdout : Buffer.from(c.stdout), ran.stderr);
    });
  }

  it('returns the script exit code and stderr', () => {
    const ran = runFramed('echo out; echo err >&2; exit 7');
    assert.equal(ran.stdout.toString(), 'out\n');
    assert.equal(ran.stderr, 'err\n');
    assert.equal(ran.code, 7);
  });

  it('runs nothing when the stream is cut before the script ends', () => {
    const script = 'touch /nonexistent-etcdops-marker 2>/dev/null; echo ran';
    for (const keep of [0, 5, script.length, script.length + 3]) {
      const ran = runFramed(script, 'payload', keep);
      assert.equal(ran.stdout.toString(), '', `cut at ${keep} bytes`);
      assert.equal(ran.code, 255);
      assert.match(ran.stderr, /did not arrive whole/);
    }
  });

  it('puts neither the script nor the payload on the command line', () => {
    const framed = scriptOnStdin('echo secret-in-script', 'secret-in-payload');
    assert.doesNotMatch(framed.line, /secret/);
    assert.match(framed.stdin.toString(), /secret-in-script[\s\S]*secret-in-payload/);
  });

  it('refuses a script holding a NUL byte, which no shell variable can hold', () => {
    assert.throws(() => scriptOnStdin('echo a\0b'), /NUL/);
  });
});
