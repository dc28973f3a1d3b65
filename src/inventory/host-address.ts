// Reads a host identifier the way Ansible does: a host name, IPv4 or IPv6 address, each possibly with
// `[x:y]` ranges, and an optional `:port`. Host keys in inventories and host patterns both depend on it.

const numericRange = String.raw`\[(?:[0-9]+:[0-9]+)(?::[0-9]+)?\]`;
const hexRange = String.raw`\[(?:[0-9a-f]+:[0-9a-f]+)(?::[0-9]+)?\]`;
const alnumRange = String.raw`\[(?:[a-z]:[a-z]|[0-9]+:[0-9]+)(?::[0-9]+)?\]`;
const v6 = `(?:[0-9a-f]{1,4}|${hexRange})`;
const v4 = `(?:[01]?[0-9]{1,2}|2[0-4][0-9]|25[0-5]|${numericRange})`;
const label = `(?:[\\p{L}\\p{N}_]|${alnumRange})(?:[\\p{L}\\p{N}_-]|${alnumRange})*(?<![_-])`;

const bracketedHostPort = /^\[(.+)\]:([0-9]+)$/;
const hostPort = /^((?:[^:[\]]|\[[^\]]*\])*):([0-9]+)$/;
const ipv4 = new RegExp(`^(?:${v4}\\.){3}${v4}$`, 'i');
const ipv6 = new RegExp(
  '^(?:' +
    [
      `(?:${v6}:){7}${v6}`,
      `(?:${v6}:){1,6}:`,
      `(?:${v6}:)(?::${v6}){1,6}`,
      `(?:${v6}:){2}(?::${v6}){1,5}`,
      `(?:${v6}:){3}(?::${v6}){1,4}`,
      `(?:${v6}:){4}(?::${v6}){1,3}`,
      `(?:${v6}:){5}(?::${v6}){1,2}`,
      `(?:${v6}:){6}(?::${v6})`,
      `:(?::${v6}){1,6}`,
      `${v6}?::`,
      `(?:0:){6}(?:${v6}\\.){3}${v6}`,
      `::(?:ffff:)?(?:${v6}\\.){3}${v6}`,
      `(?:0:){5}ffff:(?:${v6}\\.){3}${v6}`,
    ].join('|') +
    ')$',
  'i',
);
const hostname = new RegExp(`^${label}(?:\\.${label})*$`, 'iu');

export interface HostAddress {
  /** Host name or address, ranges still unexpanded. */
  readonly host: string;
  readonly port?: number;
}

/** The host and port of `text`, or undefined when it is not a host identifier. */
export function parseHostAddress(text: string): HostAddress | undefined {
  let address = text;
  let port: number | undefined;
  for (const form of [bracketedHostPort, hostPort]) {
    const match = form.exec(address);
    if (match) {
      address = match[1]!;
      port = Number(match[2]);
    }
  }
  if (!ipv4.test(address) && !ipv6.test(address) && !hostname.test(address)) return undefined;
  return port === undefined ? { host: address } : { host: address, port };
}
