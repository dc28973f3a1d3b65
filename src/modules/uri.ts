// uri: makes an HTTP(S) request from the host with curl (or wget) and registers Ansible's results (status,
// content, json). Only http and https, also across redirects; headers, body and certificate paths go to
// curl (or wget) in a config on stdin, so they never appear in a command line, a log or a plan.
import { sh } from '../connection/shell-quote.js';
import { ChangeAction } from '../plan/change.js';
import { shownUrl } from '../facts/url-fetch-script.js';
import { defineModule } from './module.js';
import { TaskFailure } from './task-failure.js';

export interface UriArgs {
  readonly url: string;
  readonly method?: string;
  readonly body?: unknown;
  readonly body_format?: 'raw' | 'json' | 'form-urlencoded';
  readonly headers?: Readonly<Record<string, string>>;
  readonly status_code?: number | string | readonly (number | string)[];
  readonly return_content?: boolean;
  readonly validate_certs?: boolean;
  readonly ca_path?: string;
  readonly client_cert?: string;
  readonly client_key?: string;
  readonly timeout?: number;
}

/** A value in a curl config file: double-quoted, with curl's escapes. */
const curlValue = (text: string): string =>
  `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`;

export function checkUrl(url: string): void {
  if (!/^https?:\/\//i.test(url)) throw new TaskFailure(`url ${JSON.stringify(shownUrl(url))} is not http:// or https://; uri makes HTTP requests only`);
}

/** The request body as bytes on the wire and the content type it implies. */
export function requestBody(args: UriArgs): { readonly data?: string; readonly contentType?: string } {
  if (args.body === undefined || args.body === null) return {};
  const format = args.body_format ?? 'raw';
  if (format === 'json') return { data: typeof args.body === 'string' ? args.body : JSON.stringify(args.body), contentType: 'application/json' };
  if (format === 'form-urlencoded') {
    if (typeof args.body === 'string') return { data: args.body, contentType: 'application/x-www-form-urlencoded' };
    const pairs = Object.entries(args.body as Record<string, unknown>).map(([k, v]) => [k, String(v)]);
    return { data: new URLSearchParams(pairs).toString(), contentType: 'application/x-www-form-urlencoded' };
  }
  if (typeof args.body !== 'string') throw new TaskFailure('body must be a string with body_format raw; use body_format: json for data');
  return { data: args.body };
}

/** The curl config (sent on stdin): everything about the request except where the answer goes. */
export function curlConfig(args: UriArgs): string {
  const method = (args.method ?? 'GET').toUpperCase();
  const { data, contentType } = requestBody(args);
  const headers = { ...(contentType ? { 'Content-Type': contentType } : {}), ...(args.headers ?? {}) };
  const lines = [
    `url = ${curlValue(args.url)}`,
    `request = ${curlValue(method)}`,
    'proto = "=http,https"',
    'proto-redir = "=http,https"',
    `max-time = ${Number(args.timeout ?? 30)}`,
    ...(method === 'GET' || method === 'HEAD' ? ['location'] : []),
    ...(method === 'HEAD' ? ['head'] : []),
    ...Object.entries(headers).map(([k, v]) => `header = ${curlValue(`${k}: ${v}`)}`),
    ...(data !== undefined ? [`data-raw = ${curlValue(data)}`] : []),
    ...(args.validate_certs === false ? ['insecure'] : []),
    ...(args.ca_path ? [`cacert = ${curlValue(args.ca_path)}`] : []),
    ...(args.client_cert ? [`cert = ${curlValue(args.client_cert)}`] : []),
    ...(args.client_key ? [`key = ${curlValue(args.client_key)}`] : []),
  ];
  return `${lines.join('\n')}\n`;
}

/** A value in a wgetrc line: it runs to the end of the line, so a line break in it is refused. */
const wgetValue = (what: string, text: string): string => {
  if (/[\r\n]/.test(text)) throw new TaskFailure(`${what} must not contain a line break`);
  return text;
};

/**
 * The wgetrc for hosts without curl. wget would follow a redirect to ftp://, so it follows none: a redirect
 * is then the answer (its 3xx status), and the URL itself is read from a file by the script, never argv.
 */
export function wgetConfig(args: UriArgs): string {
  const method = (args.method ?? 'GET').toUpperCase();
  const { data, contentType } = requestBody(args);
  const headers = { ...(contentType ? { 'Content-Type': contentType } : {}), ...(args.headers ?? {}) };
  const lines = [
    `method = ${wgetValue('method', method)}`,
    `timeout = ${Number(args.timeout ?? 30)}`,
    'tries = 1',
    'max_redirect = 0',
    'content_on_error = on',
    ...Object.entries(headers).map(([k, v]) => `header = ${wgetValue(`header ${k}`, `${k}: ${v}`)}`),
    ...(data !== undefined ? ['#has-body'] : []),
    ...(args.validate_certs === false ? ['check_certificate = off'] : []),
    ...(args.ca_path ? [`ca_certificate = ${wgetValue('ca_path', args.ca_path)}`] : []),
    ...(args.client_cert ? [`certificate = ${wgetValue('client_cert', args.client_cert)}`] : []),
    ...(args.client_key ? [`private_key = ${wgetValue('client_key', args.client_key)}`] : []),
  ];
  return `${lines.join('\n')}\n`;
}

/** What the host reads on stdin: curl's config, wget's, the URL, then the body, each after a marker line. */
export function uriInput(args: UriArgs): string {
  return `${curlConfig(args)}#wget\n${wgetConfig(args)}#url\n${wgetValue('url', args.url)}\n#body\n${requestBody(args).data ?? ''}`;
}

/** Runs curl (or wget) with its config from stdin; prints the exit code, status, content type, final URL, then the body in base64. */
export const URI_SCRIPT = sh`command -v curl >/dev/null 2>&1 || command -v wget >/dev/null 2>&1 || { echo 'uri needs curl or wget on the host' >&2; exit 127; }
d=$(mktemp -d); trap 'rm -rf -- "$d"' EXIT
cat > "$d/in"
if command -v curl >/dev/null 2>&1; then
sed '/^#wget$/,$d' "$d/in" > "$d/curl"
m=$(curl -sS -K "$d/curl" -o "$d/b" -w '%{http_code}\\n%{content_type}\\n%{url_effective}\\n'); rc=$?
else
sed -n '/^#wget$/,/^#url$/p' "$d/in" | sed '1d;$d' > "$d/wget"
sed -n '/^#url$/{n;p;q}' "$d/in" > "$d/url"
sed '1,/^#body$/d' "$d/in" > "$d/body"
if grep -qx '#has-body' "$d/wget"; then printf 'body_file = %s\\n' "$d/body" >> "$d/wget"; fi
wget --config="$d/wget" -S -O "$d/b" -i "$d/url" 2>"$d/h"; rc=$?
s=$(sed -n 's/^ *HTTP\\/[0-9.]* \\([0-9][0-9][0-9]\\).*/\\1/p' "$d/h" | tail -n 1)
if [ -z "$s" ]; then s=000; tail -n 3 "$d/h" >&2; fi
m=$(printf '%s\\n%s\\n%s' "$s" "$(sed -n 's/^ *[Cc]ontent-[Tt]ype: *//p' "$d/h" | tail -n 1 | tr -d '\\r')" "$(cat "$d/url")")
fi
printf 'rc=%s\\n%s\\ncontent\\n' "$rc" "$m"
base64 -w0 < "$d/b" 2>/dev/null; echo`;

export interface UriResponse {
  readonly curlExit: number;
  readonly status: number;
  readonly contentType: string;
  readonly url: string;
  readonly content: string;
}

export function parseUriOutput(stdout: string): UriResponse {
  const [rc = '', status = '', contentType = '', url = '', marker, body = ''] = stdout.split('\n');
  if (!rc.startsWith('rc=') || marker !== 'content') throw new Error(`uri: unexpected output from the host: ${stdout.slice(0, 200)}`);
  return { curlExit: Number(rc.slice(3)), status: Number(status), contentType, url, content: Buffer.from(body, 'base64').toString('utf8') };
}

export const expectedStatus = (args: UriArgs): number[] => [args.status_code ?? 200].flat().map(Number);

/** Ansible's result from the response; failed when the status is not one of status_code. */
export function uriResult(args: UriArgs, response: UriResponse, stderr: string): { failed: boolean; msg: string; result: Record<string, unknown> } {
  const wanted = expectedStatus(args);
  const status = response.curlExit !== 0 && response.status === 0 ? -1 : response.status;
  let json: unknown;
  if (/json/i.test(response.contentType)) {
    try {
      json = JSON.parse(response.content);
    } catch {
      json = undefined;
    }
  }
  const result: Record<string, unknown> = {
    status,
    url: shownUrl(response.url || args.url),
    content_type: response.contentType,
    redirected: (response.url || args.url) !== args.url,
    ...(args.return_content ? { content: response.content } : {}),
    ...(json !== undefined ? { json } : {}),
  };
  if (status === -1) return { failed: true, msg: `Request failed: ${stderr.trim() || `curl exit code ${response.curlExit}`}`, result };
  if (!wanted.includes(status)) return { failed: true, msg: `Status code was ${status} and not [${wanted.join(', ')}]`, result };
  return { failed: false, msg: `OK (${Buffer.byteLength(response.content)} bytes)`, result };
}

export const uriModule = defineModule<UriArgs, undefined>({
  name: 'uri',
  description: 'Make an HTTP(S) request from the host (with curl, or wget) and register status, content and json.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['url'],
    properties: {
      url: { type: 'string', pattern: '^[Hh][Tt][Tt][Pp][Ss]?://', description: 'http:// or https:// URL; other schemes are refused.' },
      method: { type: 'string', description: 'HTTP method (default GET); GET and HEAD follow redirects.' },
      body: { description: 'Request body: text, or data with body_format json or form-urlencoded.' },
      body_format: { type: 'string', enum: ['raw', 'json', 'form-urlencoded'], description: 'How body is encoded (default raw); json and form-urlencoded set Content-Type.' },
      headers: { type: 'object', additionalProperties: { type: 'string' }, description: 'Request headers (never shown in output).' },
      status_code: {
        type: ['integer', 'string', 'array'],
        items: { type: ['integer', 'string'] },
        description: 'Status code(s) that mean success (default 200).',
      },
      return_content: { type: 'boolean', description: 'Register the response body as content (json is registered for JSON responses anyway).' },
      validate_certs: { type: 'boolean', description: 'Check the server certificate (default true).' },
      ca_path: { type: 'string', description: 'CA bundle on the host to check the server certificate with.' },
      client_cert: { type: 'string', description: 'Client certificate (PEM) on the host.' },
      client_key: { type: 'string', description: "Client certificate's key on the host; only its path is passed, never its content." },
      timeout: { type: 'integer', minimum: 1, description: 'Seconds the whole request may take (default 30).' },
    },
  },
  example: `- name: etcd answers on its health endpoint
  uri:
    url: https://127.0.0.1:2379/health
    ca_path: /etc/etcd/pki/ca.crt
    client_cert: /etc/etcd/pki/client.crt
    client_key: /etc/etcd/pki/client.key
  register: health
`,
  idempotent: false,
  gather: async () => undefined,
  plan(args) {
    checkUrl(args.url);
    uriInput(args);
    const method = (args.method ?? 'GET').toUpperCase();
    return { changes: [{ action: ChangeAction.RUN, target: `${method} ${shownUrl(args.url)}`, reason: 'a request is made; its answer cannot be known in advance' }] };
  },
  async apply(args, _plan, ctx) {
    const out = await ctx.connection.exec(URI_SCRIPT.text, { become: ctx.become, stdin: uriInput(args) });
    if (out.code !== 0) return { changed: false, failed: true, msg: out.stderr.trim() || `exit code ${out.code}` };
    const { failed, msg, result } = uriResult(args, parseUriOutput(out.stdout), out.stderr);
    // A request changes nothing Ansible can see: uri reports ok, as Ansible's does.
    return { changed: false, failed, msg, result: { ...result, msg } };
  },
});
