// The artifact mirror process: serves files of one folder over HTTP (GET/HEAD) on one address.
// Run detached as `mirror-server ROOT ADDRESS PORT`; never serves anything outside ROOT.
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join, sep } from 'node:path';

/** Maps a URL path to a file under root, or undefined when it names anything outside or hidden. */
export async function resolveServedFile(root: string, urlPath: string): Promise<string | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0] ?? '');
  } catch {
    return undefined;
  }
  const segments = decoded.split('/').filter((segment) => segment !== '');
  if (segments.length === 0 || segments.some((segment) => segment.startsWith('.') || segment.includes('\\') || segment.includes('\0'))) {
    return undefined;
  }
  const realRoot = await realpath(root);
  const candidate = await realpath(join(realRoot, ...segments)).catch(() => undefined);
  if (!candidate || !candidate.startsWith(realRoot + sep)) return undefined;
  const info = await stat(candidate).catch(() => undefined);
  return info?.isFile() ? candidate : undefined;
}

async function handle(root: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  const file = await resolveServedFile(root, request.url ?? '/');
  if (!file) {
    response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    return;
  }
  const { size } = await stat(file);
  const type = file.endsWith('.tar.gz') ? 'application/gzip' : 'text/plain; charset=utf-8';
  response.writeHead(200, { 'content-type': type, 'content-length': size });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  createReadStream(file).pipe(response);
}

function main(argv: readonly string[]): void {
  const [root, address, port] = argv;
  if (!root || !address || !port) {
    process.stderr.write('usage: mirror-server ROOT ADDRESS PORT\n');
    process.exit(2);
  }
  const server = createServer((request, response) => {
    handle(root, request, response).catch((error: unknown) => {
      process.stderr.write(`mirror: ${String(error)}\n`);
      if (!response.headersSent) response.writeHead(500).end();
      else response.destroy();
    });
  });
  server.listen(Number(port), address, () => process.stdout.write(`mirror serving ${root} on http://${address}:${port}/\n`));
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split(sep).join('/'))) main(process.argv.slice(2));
