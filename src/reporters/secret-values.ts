// The values no output may show, and the one function that takes them out of what is printed or saved:
// private-key blocks wherever they appear, and every value known to be secret (secret variables, what a
// no_log task returned) replaced by a mark.

export const REDACTED = '********';

/** Names that hold secrets by convention: `etcd_ca_passphrase`, `ansible_become_password`, `*_secret`... */
const SECRET_NAME = /(?:^|_)(?:pass|passwd|password|passphrase|secret|secrets|private_key|api_key|credentials?)$/i;

export const looksSecret = (name: string): boolean => SECRET_NAME.test(name);

/** A PEM/OpenSSH/PGP private key block, up to its END line (or the end of the text when cut short). */
const PRIVATE_KEY_BLOCK = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----|$)/g;

/** Shorter values are not matched in output: hiding every "0" or "yes" would hide everything else too. */
export const MIN_SECRET_LENGTH = 4;

/** Fields of a module result that name what was worked on, not what it held: left visible. */
const IDENTIFYING_FIELDS = new Set(['cmd', 'dest', 'path', 'src', 'name', 'state', 'url', 'owner', 'group', 'mode', 'changed', 'rc']);

/** What a no_log task returned is hidden from later output when at least this long (shorter: "0", "ok"...). */
export const NO_LOG_MIN_LENGTH = 8;

export class SecretValues {
  private readonly values = new Set<string>();
  private sorted: string[] = [];

  /** Remembers every string inside `value` (deeply) of at least `minLength` characters, and its lines. */
  add(value: unknown, minLength = MIN_SECRET_LENGTH): void {
    const before = this.values.size;
    const visit = (v: unknown): void => {
      if (typeof v === 'string') {
        for (const text of [v, ...v.split('\n')]) if (text.trim().length >= minLength) this.values.add(text);
      } else if (typeof v === 'number' && String(v).length >= minLength) this.values.add(String(v));
      else if (Array.isArray(v)) v.forEach(visit);
      else if (v !== null && typeof v === 'object') Object.values(v).forEach(visit);
    };
    visit(value);
    // Longest first, so a secret that contains another is hidden whole.
    if (this.values.size !== before) this.sorted = [...this.values].sort((a, b) => b.length - a.length);
  }

  /** Remembers the values of secret-named variables, at any depth (`backup: {password: ...}`); templates are not values yet. */
  addSecretNamed(vars: unknown): void {
    if (vars === null || typeof vars !== 'object') return;
    for (const [name, value] of Object.entries(vars)) {
      if (looksSecret(name) && !(typeof value === 'string' && value.includes('{{'))) this.add(value);
      else this.addSecretNamed(value);
    }
  }

  /** Remembers what a no_log task returned (its message, loop item and result values, not what it named). */
  addNoLogOutcome(outcome: { readonly item?: unknown; readonly msg?: string; readonly result?: Readonly<Record<string, unknown>> }): void {
    const result = Object.entries(outcome.result ?? {}).filter(([key]) => !IDENTIFYING_FIELDS.has(key));
    this.add([outcome.item, outcome.msg, result.map(([, value]) => value)], NO_LOG_MIN_LENGTH);
  }

  /** The text with private keys and known secrets replaced. */
  redactText(text: string): string {
    let out = text.replace(PRIVATE_KEY_BLOCK, '[private key hidden]');
    for (const secret of this.sorted) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    return out;
  }

  /** A deep copy of a JSON-like value with every string redacted (keys too). */
  redact<T>(value: T): T {
    const walk = (v: unknown): unknown => {
      if (typeof v === 'string') return this.redactText(v);
      if (Array.isArray(v)) return v.map(walk);
      if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [this.redactText(k), walk(x)]));
      return v;
    };
    return walk(value) as T;
  }
}
