import { deepStrictEqual, strictEqual, throws } from 'node:assert/strict';
import { lazyVars } from '../../src/executor/lazy-vars.js';

const where = { file: 'play.yml', line: 3 };

describe('lazyVars', () => {
  it('renders a variable defined in terms of others, with the final values of the higher layers', () => {
    const vars = lazyVars([{ version: '3.4.23', url: 'https://x/v{{ version }}/etcd.tar.gz' }, { version: '3.5.16' }], where);
    strictEqual(vars.url, 'https://x/v3.5.16/etcd.tar.gz');
  });
  it('keeps native types of a lone expression and renders nested values', () => {
    const vars = lazyVars([{ ports: [2379, 2380], conf: { list: '{{ ports }}', name: 'n-{{ ports.0 }}' } }], where);
    deepStrictEqual(vars.conf, { list: [2379, 2380], name: 'n-2379' });
  });
  it('fails only when a broken variable is read, naming it', () => {
    const vars = lazyVars([{ good: 'ok', broken: '{{ nowhere }}' }], where);
    strictEqual(vars.good, 'ok');
    throws(() => vars.broken, /nowhere/);
  });
  it('refuses a variable defined in terms of itself', () => {
    const vars = lazyVars([{ a: '{{ b }}', b: '{{ a }}' }], where);
    throws(() => vars.a, /defined in terms of itself/);
  });
  it('answers `in` and key listing like a plain object', () => {
    const vars = lazyVars([{ a: 1 }, { b: 2 }], where);
    strictEqual('a' in vars, true);
    strictEqual('c' in vars, false);
    deepStrictEqual(Object.keys(vars).sort(), ['a', 'b']);
  });
});
