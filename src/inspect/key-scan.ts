// Reads the whole keyspace at one revision in pages (a limit, then a range continuing after the last key),
// so a big keyspace never sits in memory at once. Each page goes to the callers' accumulators and is dropped.
import { Range, type Etcd3 } from 'etcd3';

export interface ScannedKey {
  readonly key: Buffer;
  /** Size of the value in bytes. */
  readonly valueBytes: number;
}

export interface ScanSummary {
  readonly keys: number;
  readonly pages: number;
}

export const DEFAULT_PAGE_KEYS = 500;

/** gRPC refuses answers above its receive limit (4 MiB by default): a page of big values must shrink. */
const TOO_LARGE = /larger than max|RESOURCE_EXHAUSTED|message too large/i;

const AFTER = Buffer.from([0]);

export async function scanKeys(
  client: Etcd3,
  revision: number,
  onPage: (page: readonly ScannedKey[]) => void,
  pageKeys = DEFAULT_PAGE_KEYS,
): Promise<ScanSummary> {
  // A range from `start` to the zero key means "every key from start on".
  let start: Buffer = Buffer.from([0]);
  let limit = pageKeys;
  let keys = 0;
  let pages = 0;
  for (;;) {
    let answer;
    try {
      answer = await client.getAll().inRange(new Range(start, Buffer.from([0]))).limit(limit).revision(revision).exec();
    } catch (error) {
      if (limit > 1 && TOO_LARGE.test((error as Error).message)) {
        limit = Math.max(1, Math.floor(limit / 2));
        continue;
      }
      throw error;
    }
    const page = answer.kvs.map((kv) => ({ key: kv.key, valueBytes: kv.value.length }));
    pages += 1;
    keys += page.length;
    onPage(page);
    if (!answer.more || page.length === 0) return { keys, pages };
    // The smallest key after the last one: the same bytes followed by a zero byte.
    start = Buffer.concat([page[page.length - 1]!.key, AFTER]);
  }
}
