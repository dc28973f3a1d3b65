// etcd.conf.yml built as data: the template is a YAML document whose values may be `{{ var }}` templates.
// Each value is rendered on its own, checked against the key table (known key for this etcd version, the
// right type), and put back as a YAML node; the YAML serializer writes the file, so no value can end its
// own scalar and inject a key. The written text is parsed again and must read back as the checked values.
// A key a newer etcd reads under another name or as a feature gate is written that way for that version.
import { isDeepStrictEqual } from 'node:util';
import { LineCounter, isMap, isScalar, isSeq, parse, parseDocument, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { UserError } from '../errors/user-error.js';
import { didYouMean } from '../playbook/suggest.js';
import { ETCD_CONFIG_KEYS, SettingProblem, SettingType, checkSetting, configMinor, formatFeatureGates, keysFor, minorAtLeast, parseFeatureGates, type ConfigKey } from './etcd-config-keys.js';

/** Renders one value's template text (e.g. `https://{{ etcd_address }}:{{ etcd_peer_port }}`) to its text. */
export type ValueRenderer = (template: string) => string;

/** The variables a value's template reads, named in errors so the user knows what to fix (`derived` maps a variable computed from another to that one). */
function variablesIn(template: string, derived: Readonly<Record<string, string>>): string[] {
  return [...new Set([...template.matchAll(/\{\{\s*([A-Za-z_]\w*)/g)].map((m) => derived[m[1]!] ?? m[1]!))];
}

class TemplateWalk {
  readonly problems: string[] = [];
  /** Pairs whose key is left out because its value rendered to '' (omitWhenEmpty). */
  readonly emptied = new Set<unknown>();
  private readonly lines = new LineCounter();
  readonly doc: Document;
  private readonly minor: string;

  constructor(
    text: string,
    private readonly source: string,
    private readonly render: ValueRenderer,
    version: unknown,
    private readonly derived: Readonly<Record<string, string>>,
  ) {
    // YAML 1.1, as etcd's reader (go-yaml v2): the serializer then quotes `on`, `yes`, `0777`, `1:20`, ...
    // which a 1.2 writer leaves bare and etcd would read as booleans or numbers.
    this.doc = parseDocument(text, { lineCounter: this.lines, uniqueKeys: true, version: '1.1' });
    this.minor = configMinor(version);
  }

  private where(node: Node | null | undefined): string {
    const offset = node?.range?.[0];
    return offset === undefined ? this.source : `${this.source}:${this.lines.linePos(offset).line}`;
  }

  private problem(node: Node | null | undefined, key: string, template: string | undefined, message: string): void {
    const vars = template === undefined ? [] : variablesIn(template, this.derived);
    const from = vars.length ? ` (from ${vars.join(', ')})` : '';
    const fix = vars.length ? `: set ${vars.join(' / ')} to a valid value` : '';
    this.problems.push(`${this.where(node)}: ${key}${from}: ${message}${fix}`);
  }

  /** The rendered value of a template scalar, or its own value when it holds no template. */
  private valueOf(node: Node, key: string): { value: unknown; template?: string } | undefined {
    if (!isScalar(node)) {
      this.problem(node, key, undefined, `a ${isMap(node) ? 'mapping' : 'list'} where a single value belongs (write a templated value in quotes: '{{ var }}')`);
      return undefined;
    }
    if (typeof node.value !== 'string' || !node.value.includes('{{')) return { value: node.value };
    try {
      return { value: this.render(node.value), template: node.value };
    } catch (error) {
      this.problem(node, key, node.value, (error as Error).message);
      return undefined;
    }
  }

  walk(map: YAMLMap, table: Readonly<Record<string, ConfigKey>>, prefix: string): void {
    const known = keysFor(table, this.minor);
    const omitted = new Set<unknown>();
    const gated: { pair: Pair<Node, Node | null>; gate: string; path: string }[] = [];
    const names = new Set((map.items as Pair<Node, Node | null>[]).map((pair) => (isScalar(pair.key) ? String(pair.key.value) : String(pair.key))));
    for (const pair of map.items as Pair<Node, Node | null>[]) {
      const name = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      const path = prefix + name;
      const key = known.get(name);
      const entry = Object.hasOwn(table, name) ? table[name]! : undefined;
      if (!key && entry?.successor && minorAtLeast(this.minor, entry.successor.since)) {
        const { successor } = entry;
        if (successor.key !== undefined && names.has(successor.key)) {
          this.problems.push(`${this.where(pair.key)}: ${path} and ${prefix}${successor.key} are the same setting, which etcd ${this.minor} refuses given both ways: keep ${successor.key}`);
          continue;
        }
        const before = this.problems.length;
        this.setting(pair, entry, path);
        if (this.problems.length > before) continue;
        if (successor.key !== undefined) pair.key = this.renamedKey(pair.key, successor.key);
        else gated.push({ pair, gate: successor.gate!, path });
        continue;
      }
      if (!key && entry?.omitElsewhere) {
        omitted.add(pair);
        continue;
      }
      if (!key) {
        const other = entry ? ` (etcd ${entry.versions!.join(', ')} only)` : didYouMean(name, known.keys());
        this.problems.push(`${this.where(pair.key)}: ${path} is not a key etcd ${this.minor} reads${other}`);
        continue;
      }
      if (key.type === SettingType.SECTION) {
        if (isMap(pair.value)) this.walk(pair.value, key.keys!, `${path}.`);
        else this.problem(pair.value ?? pair.key, path, undefined, 'must be a mapping of its own keys');
        continue;
      }
      this.setting(pair, key, path);
    }
    for (const pair of this.foldGates(map, gated)) omitted.add(pair);
    for (const pair of map.items) if (this.emptied.has(pair)) omitted.add(pair);
    if (omitted.size > 0) map.items = map.items.filter((pair) => !omitted.has(pair));
  }

  /** The successor's name as the pair's key, keeping the comment written above the old one. */
  private renamedKey(old: Node, name: string): Node {
    const renamed = this.doc.createNode(name) as Node;
    renamed.commentBefore = old.commentBefore;
    return renamed;
  }

  /**
   * Boolean keys that are feature gates on this version, merged into `feature-gates` (the template's own, or
   * one written where the first of them stood); returns the pairs to drop.
   */
  private foldGates(map: YAMLMap, gated: readonly { pair: Pair<Node, Node | null>; gate: string; path: string }[]): Pair<Node, Node | null>[] {
    if (gated.length === 0) return [];
    const items = map.items as Pair<Node, Node | null>[];
    const own = items.find((pair) => isScalar(pair.key) && pair.key.value === 'feature-gates');
    const ownValue = own && isScalar(own.value) ? String(own.value.value) : undefined;
    let gates: Map<string, boolean>;
    try {
      gates = parseFeatureGates(ownValue ?? '');
    } catch {
      // The template's own feature-gates was refused already, with its line.
      return [];
    }
    for (const { pair, gate, path } of gated) {
      const on = (pair.value as Node & { value: unknown }).value === true;
      if (gates.has(gate) && gates.get(gate) !== on) {
        this.problems.push(`${this.where(pair.key)}: ${path} is the feature gate ${gate} on etcd ${this.minor}, and feature-gates sets it to ${gates.get(gate)}: keep one`);
        continue;
      }
      gates.set(gate, on);
    }
    const value = this.doc.createNode(formatFeatureGates(gates)) as Node;
    if (own) {
      own.value = value;
      return gated.map((g) => g.pair);
    }
    const [first, ...rest] = gated;
    first!.pair.key = this.renamedKey(first!.pair.key, 'feature-gates');
    value.comment = first!.pair.value?.comment;
    first!.pair.value = value;
    return rest.map((g) => g.pair);
  }

  private setting(pair: Pair<Node, Node | null>, key: ConfigKey, path: string): void {
    const node = pair.value;
    if (!node) return this.problem(pair.key, path, undefined, 'has no value');
    let rendered: unknown;
    let template: string | undefined;
    if (key.type === SettingType.TEXT_LIST && isSeq(node)) {
      const items = (node.items as Node[]).map((item) => this.valueOf(item, path));
      if (items.some((item) => item === undefined)) return;
      rendered = items.map((item) => item!.value);
      template = items.map((item) => item!.template ?? '').join(' ');
    } else {
      const one = this.valueOf(node, path);
      if (!one) return;
      ({ value: rendered, template } = one);
    }
    if (key.omitWhenEmpty && rendered === '') {
      this.emptied.add(pair);
      return;
    }
    try {
      const value = checkSetting(key, rendered);
      const replacement = this.doc.createNode(value) as Node;
      if (isSeq(replacement)) replacement.flow = true;
      replacement.comment = node.comment;
      pair.value = replacement;
    } catch (error) {
      if (!(error instanceof SettingProblem)) throw error;
      this.problem(node, path, template, error.message);
    }
  }
}

/**
 * The text of etcd.conf.yml from its template, every value checked; throws a UserError listing every
 * value etcd would misread (file:line, key, the variables it comes from), so nothing is written.
 */
export function renderEtcdConfig(template: string, source: string, render: ValueRenderer, version: unknown, derived: Readonly<Record<string, string>> = {}): string {
  const walk = new TemplateWalk(template, source, render, version, derived);
  const { doc } = walk;
  if (doc.errors.length) {
    const first = doc.errors[0]!;
    throw new UserError(`${source}:${first.linePos?.[0].line ?? 1}: the etcd config template is not valid YAML: ${first.message.split('\n')[0]}`);
  }
  if (!isMap(doc.contents)) throw new UserError(`${source}: the etcd config template must be a mapping of etcd keys`);
  walk.walk(doc.contents, ETCD_CONFIG_KEYS, '');
  if (walk.problems.length) {
    throw new UserError(`refusing to write etcd.conf.yml: ${walk.problems.length === 1 ? 'a value etcd would misread' : `${walk.problems.length} values etcd would misread`}, nothing was changed:\n  ${walk.problems.join('\n  ')}`);
  }
  const wanted = doc.toJS() as unknown;
  const text = doc.toString({ lineWidth: 0 });
  // The serializer owns the quoting; reading the text back proves etcd sees exactly the checked values.
  if (!isDeepStrictEqual(parse(text, { version: '1.1' }), wanted)) throw new UserError(`${source}: the rendered etcd.conf.yml does not read back as the checked values; nothing was changed`);
  return text;
}
