// The versions a member reports at its client URL's /version (over TLS with the admin certificate): its
// own server version and the cluster version, which the leader raises only once every member runs it.
import { request } from 'node:https';
import type { ClusterAccess } from '../etcd/cluster-access.js';

export interface ReportedVersions {
  /** The member's own binary version, e.g. `3.5.16`. */
  readonly server: string;
  /** The version the whole cluster runs at, e.g. `3.4.0`; `not_decided` right after a start. */
  readonly cluster: string;
}

/** Parses etcd's `/version` answer: `{"etcdserver":"3.5.16","etcdcluster":"3.5.0"}`. */
export function parseVersionAnswer(body: string): ReportedVersions {
  const answer = JSON.parse(body) as { etcdserver?: unknown; etcdcluster?: unknown };
  if (typeof answer.etcdserver !== 'string' || typeof answer.etcdcluster !== 'string') {
    throw new Error(`unexpected /version answer: ${body.slice(0, 200)}`);
  }
  return { server: answer.etcdserver, cluster: answer.etcdcluster };
}

export function fetchVersions(access: ClusterAccess, endpoint: string): Promise<ReportedVersions> {
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
