// The versions a member reports at /version (over TLS with the admin certificate): its own server version
// and the cluster version, which the leader raises only once every member runs it. etcd 3.5+ serves it
// on the client HTTP port (etcd_client_http_port), 3.4 on the client URL itself; both are asked, in that order.
// etcd 3.6 adds the member's storage version, which its downgrade protocol waits on.
import { request } from 'node:https';
import type { ClusterAccess } from './cluster-access.js';

export interface ReportedVersions {
  /** The member's own binary version, e.g. `3.5.16`. */
  readonly server: string;
  /** The version the whole cluster runs at, e.g. `3.4.0`; `not_decided` right after a start. */
  readonly cluster: string;
  /** etcd 3.6+: the member's storage schema version, e.g. `3.6.0` (`3.5.0` once a downgrade is enabled). */
  readonly storage?: string;
}

/** Parses etcd's `/version` answer: `{"etcdserver":"3.5.16","etcdcluster":"3.5.0"}`. */
export function parseVersionAnswer(body: string): ReportedVersions {
  const answer = JSON.parse(body) as { etcdserver?: unknown; etcdcluster?: unknown; storage?: unknown };
  if (typeof answer.etcdserver !== 'string' || typeof answer.etcdcluster !== 'string') {
    throw new Error(`unexpected /version answer: ${body.slice(0, 200)}`);
  }
  return { server: answer.etcdserver, cluster: answer.etcdcluster, ...(typeof answer.storage === 'string' ? { storage: answer.storage } : {}) };
}

/** The member's /version, from its client HTTP port (3.5+) or else its client URL (3.4). */
export async function fetchVersions(access: ClusterAccess, endpoint: string, httpPort: number): Promise<ReportedVersions> {
  const httpEndpoint = new URL(endpoint);
  httpEndpoint.port = String(httpPort);
  try {
    return await fetchVersionsAt(access, httpEndpoint.toString());
  } catch {
    return fetchVersionsAt(access, endpoint);
  }
}

function fetchVersionsAt(access: ClusterAccess, endpoint: string): Promise<ReportedVersions> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL('/version', endpoint),
      { ca: access.ca, cert: access.cert, key: access.key, timeout: access.timeoutMs ?? 5000 },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          if (res.statusCode !== 200) reject(new Error(`GET ${endpoint}/version answered ${res.statusCode}`));
          else {
            try {
              resolve(parseVersionAnswer(body));
            } catch (error) {
              reject(error as Error);
            }
          }
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`GET ${endpoint}/version timed out`)));
    req.on('error', reject);
    req.end();
  });
}
