// Starts and stops a lab's artifact mirror: a detached node process serving the artifacts folder
// on the bridge address only. URL layout (mirror root = http://BRIDGE:8080):
//   /SHA256SUMS                                     checksums of every tarball (sha256sum format)
//   /vX.Y.Z/etcd-vX.Y.Z-linux-amd64.tar.gz          release-style tarball
//   /apt/Packages, /apt/Release, /apt/*.deb          the lab's flat apt repository (apt-repository.ts)
import { readFile } from 'node:fs/promises';
import { get } from 'node:http';
import { fileURLToPath } from 'node:url';
import { UserError } from '../errors/user-error.js';
import { CHECKSUMS_FILE } from './artifact-cache.js';
import { startDetached } from './detached-process.js';
import { MIRROR_PORT } from './lab-layout.js';

export function mirrorUrlOf(bridgeAddress: string): string {
  return `http://${bridgeAddress}:${MIRROR_PORT}`;
}

/** The server script, in src/lab as .ts from a checkout or dist/lab as .js once built (this code may be in dist/bin's bundle). */
function serverScript(): string {
  const extension = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
  return fileURLToPath(new URL(`../lab/mirror-server.${extension}`, import.meta.url));
}

export function startMirror(artifacts: string, bridgeAddress: string, logFile: string): Promise<number> {
  return startDetached(process.execPath, [...process.execArgv, serverScript(), artifacts, bridgeAddress, String(MIRROR_PORT)], { logFile });
}

function fetchStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    const request = get(url, { timeout: 1000 }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', () => resolve(0));
    request.on('timeout', () => request.destroy());
  });
}

export async function waitForMirror(bridgeAddress: string, timeoutMs: number): Promise<void> {
  const url = `${mirrorUrlOf(bridgeAddress)}/${CHECKSUMS_FILE}`;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await fetchStatus(url)) === 200) return;
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new UserError(`the artifact mirror did not answer at ${url} within ${timeoutMs / 1000} s`);
}

/** True when `pid` is a mirror process serving this bridge address. */
export async function isMirrorProcess(pid: number | null, bridgeAddress: string): Promise<boolean> {
  if (pid === null) return false;
  const args = await readFile(`/proc/${pid}/cmdline`, 'utf8').then((text) => text.split('\0'), (): string[] => []);
  return args.some((arg) => /mirror-server\.(ts|js)$/.test(arg)) && args.includes(bridgeAddress);
}
