// The control node's client certificates and the CA behind them, for real in a temporary folder:
// created once and then kept, the CA key 0600 and encrypted when a passphrase is given, refused with a
// clear message when the passphrase is wrong.
import { match, rejects, strictEqual } from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { etcdClientCertificateModule as module } from '../../src/modules/etcd-client-certificate.js';
import { converge, gatherContext, moduleContext } from './module-context.js';

describe('etcd_client_certificate on the control node', function () {
  this.timeout(20_000);
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'etcdops-pki-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  for (const passphrase of ['', 'correct horse']) {
    it(`creates the CA and the admin certificate, then keeps them (passphrase ${passphrase ? 'set' : 'empty'})`, async () => {
      const args = { name: 'admin', local_pki_dir: dir, ca_passphrase: passphrase };
      const run = await converge(module, args, moduleContext());
      strictEqual(run.applied.changed, true);
      strictEqual(run.second.changes.length, 0, 'a second run keeps what the first made');
      strictEqual(statSync(join(dir, 'ca.key')).mode & 0o777, 0o600);
      strictEqual(statSync(join(dir, 'admin.key')).mode & 0o777, 0o600);
      strictEqual(readFileSync(join(dir, 'ca.key'), 'utf8').includes('ENCRYPTED'), passphrase !== '');
    });
  }

  it('refuses to sign with a wrong passphrase, saying so', async () => {
    await converge(module, { name: 'admin', local_pki_dir: dir, ca_passphrase: 'right' }, moduleContext());
    const args = { name: 'prometheus', local_pki_dir: dir, ca_passphrase: 'wrong' };
    const ctx = gatherContext(moduleContext());
    const plan = module.plan(args, await module.gather(args, ctx), ctx);
    await rejects(module.apply(args, plan, ctx), (error: Error) => {
      match(error.message, /passphrase does not open it/);
      return true;
    });
  });
});
