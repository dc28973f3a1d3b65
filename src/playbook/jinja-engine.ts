// The one Jinja engine (MiniJinja, by Jinja's author) behind every `{{ }}`/`{% %}` in task arguments,
// conditions, loops, vars and `.j2` files, with Ansible's value semantics on top: text shows values as
// Python's str() does (`True`, `None`, `{'a': 1}`), strict undefined errors name the variable, only the
// variables an expression reads are resolved (lazy variables stay lazy), and a fuel limit bounds run time.
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { Environment } from 'minijinja-js';
import { UserError, type SourceLocation } from '../errors/user-error.js';
import { UnsafeText } from '../yaml/pyyaml-compat.js';
import { FILTERS, listOf, PRINTING_NAMESAKES, TESTS, type Callable } from './ansible-filters.js';
import { forgetOrders, rememberOrder, restoreOrder } from './dict-order.js';
import { holdsWholeFloat, readEngineJson } from './engine-json.js';
import { hasSortAttributes, pyDict, pyMax, pyMin, pySum, pyUnique } from './jinja-aggregates.js';
import { jinjaSettings, type JinjaSettings } from './jinja-overrides.js';
import { type Block, builtinPluginName, ENGINE_TEXT_FILTERS, type ExpressionFacts, JinjaSourceError, guardedCode, inspectTemplate, plainPath, splitTemplate } from './jinja-source.js';
import { pythonOrder } from './python-ordering.js';
import { percentFormat } from './python-percent-format.js';
import { pythonRound, pythonRoundValue } from './python-round.js';
import { isMapping, pyFloatRepr, pyRepr, pyStr, truthy, WholeFloat } from './python-values.js';
import { forgetTuples, isPyTuple, isUnclearSequence, pyTuple, rememberMadeSequence, rememberSequence, restoreTuple } from './python-tuples.js';

type Vars = Readonly<Record<string, unknown>>;

/** What `omit` stands for: an argument that renders to it is left out, as in Ansible. */
export const OMIT = '__omit_place_holder__etcdops';

/** Bounds one render: enough for any real template, small enough that a runaway loop ends in well under a second. */
const FUEL = 5_000_000;

/** A read of a variable path that does not exist; `path` is as the user wrote it. */
class UndefinedVariable extends Error {
  constructor(readonly path: string) {
    super(`undefined variable '${path}'`);
  }
}

/** The global the guarded code calls when a path it reads is missing. */
const UNDEFINED = '__etcdops_undefined';

/** The first error a JavaScript filter raised during the current render (throwing into the engine would abort it). */
let pending: unknown;
/** The variables of the render in progress, for `lookup('template', ...)`. */
let currentVars: Vars = {};
/** One environment per nesting level: `lookup('template')` renders while its caller's render is running. */
const environments: (Environment | undefined)[] = [];
let depth = 0;
/** How deep `lookup('template')` may nest templates in templates. */
const MAX_DEPTH = 8;

/**
 * Values coming out of the engine: mappings arrive as Map, None as undefined. Tuples are kept for what
 * prints them; the value of a whole expression has lists only, as Ansible stores it (`item` of a loop over
 * `a | zip(b) | list` is `[1, 'a']`).
 */
function fromEngine(value: unknown, tuples = true): unknown {
  if (value === undefined) return null;
  if (value instanceof Map) return restoreOrder(Object.fromEntries([...value.entries()].map(([k, v]) => [String(k), fromEngine(v, tuples)])));
  if (Array.isArray(value)) {
    const items = value.map((v) => fromEngine(v, tuples));
    return tuples ? restoreTuple(items) : items;
  }
  return value;
}

/** Values going into the engine: `!unsafe` text as plain text (the engine never re-templates a value). */
function toEngine(value: unknown): unknown {
  if (value instanceof UnsafeText) return value.text;
  if (value instanceof WholeFloat) {
    throw new Error(`the result holds ${pyRepr(value)}, a float with nothing after its point (such as 4 / 2), which the template would get back as an int where Ansible keeps the float: apply '| int' (or '| string') to it first`);
  }
  if (Array.isArray(value)) {
    const items = value.map(toEngine);
    rememberSequence(items, value);
    return items;
  }
  if (isMapping(value)) {
    const mapping = Object.fromEntries(Object.keys(value).map((k) => [k, toEngine(value[k])]));
    rememberOrder(mapping);
    return mapping;
  }
  return value;
}

/** The filters the engine source calls where Python reads a dict's order (see jinja-source.ts). */
const DICT_ORDER_FILTERS: Readonly<Record<string, Callable>> = {
  __dict_keys: { fn: (v) => Object.keys(dictOf(v, 'keys')) },
  __in_order: { fn: (v) => (isMapping(v) ? Object.keys(v) : v) },
};

/** Those that hand the dict's values back too, read from the engine's JSON (`x | tojson | __json_NAME`) for its floats. */
const DICT_VIEWS_FROM_JSON: Readonly<Record<string, Callable['fn']>> = {
  __dict_items: (v) => Object.entries(dictOf(v, 'items')).map(pyTuple),
  __dict_values: (v) => Object.values(dictOf(v, 'values')),
};

function dictOf(value: unknown, method: string): Record<string, unknown> {
  if (isMapping(value)) return value;
  throw new Error(`'${value === null ? 'None' : Array.isArray(value) ? 'list' : typeof value}' object has no attribute '${method}'`);
}

/** A dict literal's keys and values, each value as the engine's JSON of it (jinja-source.ts), in the order written. */
function dictFromPairs(...flat: unknown[]): Record<string, unknown> {
  const dict: Record<string, unknown> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) dict[String(flat[i])] = fromEngine(readEngineJson(String(flat[i + 1])));
  return dict;
}

/**
 * `fn` as the engine may call it: an error thrown back into the WebAssembly module would trap it, so it is
 * kept as the render's error (raised when the engine returns) and the engine gets undefined.
 */
function caught(name: string, fn: (...raw: unknown[]) => unknown): (...raw: unknown[]) => unknown {
  return (...raw: unknown[]) => {
    try {
      return fn(...raw);
    } catch (error) {
      pending ??= new Error(`${name}: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  };
}

/** A filter, test or global of etcdops' for the engine: its values converted both ways. */
function guarded(name: string, callable: Callable): (...args: unknown[]) => unknown {
  return caught(name, (...raw) => {
    const args = raw.map((v) => fromEngine(v));
    return toEngine(callable.fn(args[0], ...args.slice(1)));
  });
}

/**
 * A filter that reads its input from the engine's `tojson` text (engine-json.ts), so a float with no
 * fraction and a big int print as Python prints them; the other arguments arrive as usual.
 */
function fromEngineJson(name: string, fn: Callable['fn']): (...args: unknown[]) => unknown {
  return guarded(name, { fn: (text, ...args) => fn(fromEngine(readEngineJson(String(text))), ...args) });
}

/** Each lookup plugin etcdops has, with the options it honours as Ansible's plugin reads them; any other is refused. */
const LOOKUP_OPTIONS: Readonly<Record<string, readonly string[]>> = { env: ['default'], file: ['lstrip', 'rstrip'], template: [] };

/** The lookup plugins etcdops has; any other name is refused at load (see jinjaSyntaxProblem). */
const LOOKUP_PLUGINS = Object.keys(LOOKUP_OPTIONS);

function lookup(kind: unknown, ...terms: unknown[]): unknown {
  const plugin = String(kind).replace(/^ansible\.builtin\./, '');
  const known = LOOKUP_OPTIONS[plugin];
  if (!known) throw new Error(`lookup plugin '${plugin}' is not supported (supported: ${LOOKUP_PLUGINS.join(', ')})`);
  const options: Record<string, unknown> = Object.assign({}, ...terms.filter(isMapping));
  const { wantlist, ...own } = options;
  const unknown = Object.keys(own).filter((name) => !known.includes(name));
  if (unknown.length > 0) throw new Error(`lookup('${plugin}') does not take ${unknown.join(', ')} in etcdops (it takes ${[...known, 'wantlist'].join(', ')})`);
  const paths = terms.filter((t) => !isMapping(t)).map(String);
  const base = typeof currentVars.playbook_dir === 'string' ? currentVars.playbook_dir : process.cwd();
  const read = (path: string) => readFileSync(isAbsolute(path) ? path : join(base, path), 'utf8');
  const values = paths.map((term) => {
    if (plugin === 'env') return process.env[term] ?? ('default' in own ? own.default : '');
    if (plugin === 'file') {
      // Python's str.strip family: the whitespace it strips, which `\s` also matches.
      const text = read(term);
      const right = own.rstrip === undefined || truthy(own.rstrip) ? text.replace(/\s+$/, '') : text;
      return truthy(own.lstrip) ? right.replace(/^\s+/, '') : right;
    }
    return renderJinja(read(term), currentVars, { file: term });
  });
  if (truthy(wantlist)) return values;
  return values.length === 1 ? values[0] : values.join(',');
}

function engine(): Environment {
  const existing = environments[depth];
  if (existing) return existing;
  const env = new Environment();
  env.enablePyCompat();
  env.undefinedBehavior = 'strict';
  env.trimBlocks = true;
  env.keepTrailingNewline = true;
  env.fuel = FUEL;
  for (const [name, callable] of Object.entries({ ...FILTERS, ...DICT_ORDER_FILTERS })) env.addFilter(name, guarded(name, callable));
  env.addGlobal('__dict', guarded('dict', { fn: dictFromPairs }));
  env.addGlobal('dict', guarded('dict', { fn: pyDict }));
  for (const [name, fn] of Object.entries({ __py_sum: pySum, __py_min: pyMin, __py_max: pyMax, __py_unique: pyUnique })) env.addFilter(name, guarded(name.slice(5), { fn }));
  env.addTest('__py_sort_attributes', guarded('sort', { fn: hasSortAttributes }));
  // Tests, so the engine keeps its own value (a float stays a float) and only the content is read here.
  env.addTest('__noted_list', caught('list', (v) => {
    if (Array.isArray(v)) rememberMadeSequence(fromEngine(v, false) as unknown[]);
    return true;
  }));
  env.addTest('__noted_tuple', caught('tuple', (v) => {
    if (Array.isArray(v)) rememberMadeSequence(pyTuple(fromEngine(v, false) as unknown[]));
    return true;
  }));
  let remainder: number | undefined;
  // Called with the engine's remainder, then with the divisor: the divisor is kept (added) when the signs differ.
  env.addTest('__py_modulo', (v: unknown) => {
    if (remainder === undefined) {
      remainder = Number(v);
      return true;
    }
    const divisor = Number(v);
    const keep = remainder !== 0 && remainder < 0 !== divisor < 0;
    remainder = undefined;
    return keep;
  });
  let roundPrecision = 0;
  // `__py_round_precision()` runs right after its `__py_round`: the precision goes with the stand-in.
  env.addFilter(
    '__py_round',
    guarded('round', {
      fn: (printed, precision, method) => {
        const standIn = pythonRound(String(printed), precision, method);
        roundPrecision = standIn.precision;
        return standIn.value;
      },
    }),
  );
  env.addGlobal('__py_round_precision', () => roundPrecision);
  env.addFilter('__py_round_value', guarded('round', { fn: (v, precision, method) => pythonRoundValue(v, precision, method) }));
  env.addGlobal('__py_order', guarded('comparison', { fn: pythonOrder }));
  for (const [name, callable] of Object.entries(TESTS)) env.addTest(name, guarded(name, callable));
  // None shows as nothing in text, as Ansible's finalize makes it (inside a list it is still `None`).
  env.addFilter('__py_json', fromEngineJson('string', (v) => (v === null ? '' : pyStr(v))));
  env.addFilter('__pystr_json', fromEngineJson('string', pyStr));
  for (const name of ENGINE_TEXT_FILTERS) env.addFilter(`__json_${name}`, fromEngineJson(name, (FILTERS[name] ?? PRINTING_NAMESAKES[name])!.fn));
  env.addFilter('__json_map_string', fromEngineJson('map', (v) => listOf(v, 'map').map(pyStr)));
  for (const [name, fn] of Object.entries(DICT_VIEWS_FROM_JSON)) env.addFilter(`__json_${name}`, fromEngineJson(name.slice(7), fn));
  // `'text' % values`: a tuple's items are the values, anything else is the one value (or the mapping of keys).
  env.addFilter('__json_py_percent', fromEngineJson('%', (values, format, written) => {
    if (written !== true && isUnclearSequence(values)) throw new Error('cannot tell whether the values after % are a tuple (its items are the values) or a list (one value): the template makes both with this content; write the tuple where it is used');
    return written === true || isPyTuple(values) ? percentFormat(format, ...(values as unknown[])) : percentFormat(format, values);
  }));
  env.addFilter('__pyfloat', guarded('string', { fn: (v) => pyFloatRepr(Number(v)) }));
  env.addGlobal('lookup', guarded('lookup', { fn: lookup }));
  env.addGlobal('omit', OMIT);
  env.addGlobal(UNDEFINED, (path: unknown) => {
    pending ??= new UndefinedVariable(String(path));
    return undefined;
  });
  env.addGlobal('query', guarded('query', { fn: (kind, ...terms) => [lookup(kind, ...terms)].flat() }));
  environments[depth] = env;
  return env;
}

/** Runs one engine call; a JavaScript error raised inside wins over the engine's own report of it. */
function run<T>(call: (env: Environment) => T): T {
  if (depth >= MAX_DEPTH) throw new Error(`templates nest more than ${MAX_DEPTH} levels deep (lookup('template') in a loop?)`);
  const outer = pending;
  pending = undefined;
  const env = engine();
  depth++;
  try {
    const result = call(env);
    if (pending) throw pending;
    return result;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // A trap inside the WebAssembly module leaves the environment unusable: start a fresh one next time.
    if (/unreachable|recursive use of an object/.test(message)) environments[depth - 1] = undefined;
    throw pending ?? error;
  } finally {
    depth--;
    pending = outer;
  }
}

/** Follows `path` through the context; the part that exists no more, or undefined when it all exists. */
function missingPart(context: Vars, path: readonly string[]): string | undefined {
  let value: unknown = context;
  for (let i = 0; i < path.length; i++) {
    const key = path[i]!;
    const found = Array.isArray(value) ? /^\d+$/.test(key) && Number(key) < value.length : isMapping(value) && Object.hasOwn(value, key);
    if (!found) return path.slice(0, i + 1).join('.');
    value = (value as Record<string, unknown>)[key];
  }
  return undefined;
}

function readPath(vars: Vars, path: readonly string[], written: string, where: SourceLocation): unknown {
  let value: unknown = vars;
  for (const key of path) {
    const found = Array.isArray(value) ? /^\d+$/.test(key) && Number(key) < value.length : isMapping(value) && hasOwn(value, key);
    if (!found) {
      throw new UserError(`undefined variable '${written.trim()}' in "${clip(written)}" (define it, or test it with "is defined" / give it a "| default(...)")`, undefined, where);
    }
    value = (value as Record<string, unknown>)[key];
  }
  return toEngine(value);
}

function hasOwn(vars: Vars, name: string): boolean {
  return Object.prototype.hasOwnProperty.call(vars, name);
}

/** `hostvars` is read host by host and only for the keys the template names (each host's view is lazy). */
function pickHostvars(hostvars: Vars, keys: readonly string[]): Record<string, unknown> {
  const wanted = [...new Set(keys)];
  return Object.fromEntries(
    Object.keys(hostvars).map((host) => {
      const view = hostvars[host] as Vars;
      const picked: [string, unknown][] = [];
      for (const key of wanted) {
        if (!hasOwn(view, key)) continue;
        try {
          picked.push([key, toEngine(view[key])]);
        } catch {
          // A variable of another host that fails to render counts as undefined for this template.
        }
      }
      return [host, Object.fromEntries(picked)];
    }),
  );
}

const MAX_KEY_CANDIDATES = 10_000;

/** The strings inside a value (bounded): names a template may read from `hostvars[host][name]` through a variable. */
function stringsIn(value: unknown, into: Set<string>, depthLeft = 4): void {
  if (into.size >= MAX_KEY_CANDIDATES || depthLeft === 0) return;
  if (typeof value === 'string') into.add(value);
  else if (Array.isArray(value)) value.forEach((item) => stringsIn(item, into, depthLeft - 1));
  else if (isMapping(value)) Object.values(value).forEach((item) => stringsIn(item, into, depthLeft - 1));
}

function contextFor(facts: ExpressionFacts, vars: Vars): Record<string, unknown> {
  const entries: [string, unknown][] = [];
  const names = [...new Set(facts.references.map((r) => r.path[0]!))].filter((name) => hasOwn(vars, name));
  for (const name of names.filter((n) => n !== 'hostvars')) entries.push([name, toEngine(vars[name])]);
  const hostvars = names.includes('hostvars') ? vars.hostvars : undefined;
  if (hostvars !== undefined) {
    // Keys named in the template, and the strings held by the other variables it reads (`hostvars[h][name]` in a loop).
    const keys = new Set(facts.keys);
    for (const name of names) if (name !== 'hostvars') stringsIn(vars[name], keys);
    entries.push(['hostvars', isMapping(hostvars) ? pickHostvars(hostvars, [...keys]) : toEngine(hostvars)]);
  }
  return Object.fromEntries(entries);
}

function clip(text: string): string {
  const line = text.trim();
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}

/** Turns an engine error into one the user can act on: which variable, filter or syntax, and where. */
function explain(error: unknown, text: string, facts: ExpressionFacts, context: Vars, where: SourceLocation, inFile: boolean): UserError {
  if (error instanceof UserError) return error;
  const shown = inFile ? '' : ` in "${clip(text)}"`;
  if (error instanceof UndefinedVariable) {
    const line = inFile && text.includes(error.path) ? (where.line ?? 1) + text.slice(0, text.indexOf(error.path)).split('\n').length - 1 : where.line;
    return new UserError(`undefined variable '${error.path}'${shown} (define it, or test it with "is defined" / give it a "| default(...)")`, undefined, { ...where, line });
  }
  const full = error instanceof Error ? error.message : String(error);
  const message = full.split('\n')[0]!.replace(/ \(in [^)]*\)$/, '');
  const line = /\(in [^:]*:(\d+)\)/.exec(full.split('\n')[0]!);
  const at = inFile && line ? { ...where, line: Number(line[1]) } : where;
  if (/undefined/.test(message) && !/unknown (filter|test)/.test(message)) {
    const ordered = [...facts.references.filter((r) => !r.tolerant), ...facts.references.filter((r) => r.tolerant)];
    for (const reference of ordered) {
      const missing = missingPart(context, reference.path);
      if (missing) {
        return new UserError(`undefined variable '${missing}'${shown} (define it, or test it with "is defined" / give it a "| default(...)")`, undefined, at);
      }
    }
    return new UserError(`undefined value${shown}: ${message}`, undefined, at);
  }
  const unknown = /unknown (filter|test): \w+ (\w+) is unknown/.exec(message);
  if (unknown) return new UserError(`unknown ${unknown[1]} '${unknown[2]}'${shown}`, undefined, at);
  if (message.startsWith('syntax error')) return new UserError(`invalid Jinja ${message}${shown}`, undefined, at);
  const big = /(-?\d+) can't be represented as a JavaScript number/.exec(message);
  if (big) {
    return new UserError(`cannot render template${shown}: the integer ${big[1]} is beyond 2**53, which etcdops computes with only in the template itself (an int alone in {{ }} prints whole; inside a list or dict, or given to an Ansible filter, it cannot be handed over exactly)`, undefined, at);
  }
  if (message.includes('ran out of fuel')) return new UserError(`template takes too long to render (stopped after ${FUEL} steps)${shown}`, undefined, at);
  return new UserError(`cannot render template${shown}: ${message}`, undefined, at);
}

function inspect(text: string, where: SourceLocation, inFile: boolean): ExpressionFacts {
  try {
    return inspectTemplate(text);
  } catch (error) {
    if (!(error instanceof JinjaSourceError)) throw error;
    const at = inFile ? { ...where, line: (where.line ?? 1) + error.line - 1 } : where;
    throw new UserError(`invalid Jinja: ${error.message}${inFile ? '' : ` in "${clip(text)}"`}`, undefined, at);
  }
}

/**
 * The template as the engine runs it: `x.0` written `x[0]`, and every `{{ expr }}` shown through Python's
 * str() (a float through Python's repr, which the engine knows is a float; an int as the engine writes it,
 * which holds any size it computes; an undefined value still fails).
 */
function engineSource(text: string, locals: ReadonlySet<string>): string {
  return splitTemplate(text)
    .map((block) => {
      try {
        return blockSource(block, locals);
      } catch (error) {
        // A refusal in the code of a block (e.g. round's arguments) names the line of the template.
        if (error instanceof JinjaSourceError) throw new JinjaSourceError(error.message, block.line + error.line - 1);
        throw error;
      }
    })
    .join('');
}

/** The engine code of one block of a template. */
function blockSource(block: Block, locals: ReadonlySet<string>): string {
  const open = block.trimLeft ? '-' : '';
  const close = block.trimRight ? '-' : '';
  if (block.kind === 'stmt') return `{%${open} ${guardedCode(block.code, true, locals, UNDEFINED)} ${close}%}`;
  if (block.kind !== 'expr') return block.raw;
  const v = '__etcdops_value';
  const code = guardedCode(block.code, false, locals, UNDEFINED);
  return `{%${open} set ${v} = (${code}) %}{{ ${v} | __pyfloat if ${v} is float else ${v} if ${v} is number or ${v} is string or ${v} is undefined else ${v} | tojson | __py_json ${close}}}`;
}

/**
 * Runs `work` on the context `text` reads, with `vars` visible to lookups; an engine error becomes a
 * UserError about `written` (what the user wrote) at `where`.
 */
function withContext<T>(
  text: string,
  written: string,
  vars: Vars,
  where: SourceLocation,
  inFile: boolean,
  work: (context: Record<string, unknown>, facts: ExpressionFacts) => T,
): T {
  const facts = inspect(text, where, inFile);
  if (depth === 0) {
    forgetOrders();
    forgetTuples();
  }
  const context = contextFor(facts, vars);
  const previous = currentVars;
  currentVars = vars;
  try {
    return work(context, facts);
  } catch (error) {
    throw explain(error, written, facts, context, where, inFile);
  } finally {
    currentVars = previous;
  }
}

/** Renders a text (a task argument or a `.j2` file) to a string. */
export function renderJinja(text: string, vars: Vars, where: SourceLocation, inFile = false): string {
  let settings: JinjaSettings;
  try {
    settings = jinjaSettings(text);
  } catch (error) {
    throw new UserError((error as Error).message, undefined, where);
  }
  // As Ansible renders: Jinja reads every line break as `\n` and drops the text's last one; Ansible then
  // adds back the newlines the text ended with that the result lacks (`{{ x | to_nice_yaml }}\n` ends in
  // to_nice_yaml's one newline, not two).
  const lines = settings.body.replace(/\r\n?/g, '\n');
  const source = settings.keepTrailingNewline ? lines : lines.replace(/\n$/, '');
  const rendered = withContext(source, text, vars, where, inFile, (context, facts) =>
    run((env) => {
      env.trimBlocks = settings.trimBlocks;
      env.lstripBlocks = settings.lstripBlocks;
      try {
        return env.renderStr(engineSource(source, new Set(facts.locals)), context);
      } finally {
        env.trimBlocks = true;
        env.lstripBlocks = false;
      }
    }),
  );
  return withTextNewlines(rendered, settings.body);
}

/** `rendered` with the newlines `text` ended in that it lacks, as Ansible gives them back to a rendered text. */
export function withTextNewlines(rendered: string, text: string): string {
  const missing = trailingNewlines(text) - trailingNewlines(rendered);
  return missing > 0 ? rendered + '\n'.repeat(missing) : rendered;
}

function trailingNewlines(text: string): number {
  return text.length - text.replace(/\n+$/, '').length;
}

/** Whether a value from the engine holds an integral number anywhere (which may have been a float). */
function holdsInteger(value: unknown): boolean {
  if (typeof value === 'number') return Number.isInteger(value);
  if (Array.isArray(value)) return value.some(holdsInteger);
  return value instanceof Map && [...value.values()].some(holdsInteger);
}

/** Evaluates one expression to its value (Python types kept: a list stays a list). */
export function evaluateJinja(expression: string, vars: Vars, where: SourceLocation): unknown {
  const path = plainPath(expression);
  // A plain variable read is answered here, as Ansible does: the value exactly as stored (key order too).
  if (path) return readPath(vars, path, expression, where);
  return withContext(`{{ ${expression} }}`, expression, vars, where, false, (context) => {
    const code = guardedCode(expression, false, new Set(), UNDEFINED);
    const value = run((env) => env.evalExpr(code, context) as unknown);
    // The engine returns None and undefined alike; rendering tells them apart (strict undefined fails).
    if (value === undefined) run((env) => env.renderStr(`{{ (${code}) }}`, context));
    // A list or dict holding a float with no fraction (`[4 / 2]`) would keep an int where Ansible keeps 2.0.
    if ((Array.isArray(value) || value instanceof Map) && holdsInteger(value) && holdsWholeFloat(String(run((env) => env.evalExpr(`(${code}) | tojson`, context))))) {
      throw new Error("the value holds a float with nothing after its point (such as 4 / 2), which etcdops would keep as an int where Ansible keeps 2.0: apply '| int' (or '| string') to it");
    }
    // Ansible reads a whole expression's text back only when it looks like a list or dict: a tuple stays text.
    const top = Array.isArray(value) ? fromEngine(value) : undefined;
    if (isPyTuple(top) || isUnclearSequence(top)) return pyStr(top);
    return fromEngine(value, false);
  });
}

/** Evaluates a condition as Ansible does: Jinja's `{% if %}` with Python truthiness. */
export function testJinja(expression: string, vars: Vars, where: SourceLocation): boolean {
  return withContext(`{% if ${expression} %}{% endif %}`, expression, vars, where, false, (context) => {
    const code = guardedCode(expression, false, new Set(), UNDEFINED);
    return run((env) => env.renderStr(`{% if ${code} %}True{% else %}False{% endif %}`, context)) === 'True';
  });
}

/** Statements the engine would run differently from Ansible's Jinja, refused at load with what to do instead. */
const REFUSED_STATEMENTS: Readonly<Record<string, string>> = {
  include: 'etcdops renders one template at a time: put the included text in this template (a macro can hold what repeats)',
  import: 'etcdops renders one template at a time: define the macros in this template',
  from: 'etcdops renders one template at a time: define the macros in this template',
  extends: 'etcdops renders one template at a time: write the whole text in this template',
  autoescape: "Ansible does not HTML-escape in an autoescape block, the engine would: write the text as it is to appear, or use '| escape'",
};

function refusedStatement(text: string): { message: string; line: number } | undefined {
  let blocks: Block[];
  try {
    blocks = splitTemplate(text);
  } catch {
    return undefined;
  }
  for (const block of blocks) {
    const name = block.kind === 'stmt' ? /^\s*(\w+)/.exec(block.code)?.[1] : undefined;
    if (name !== undefined && Object.hasOwn(REFUSED_STATEMENTS, name)) return { message: `{% ${name} %} is not supported: ${REFUSED_STATEMENTS[name]}`, line: block.line };
  }
  return undefined;
}

export function jinjaSyntaxProblem(text: string, knownFilters: ReadonlySet<string>, knownTests: ReadonlySet<string>): { message: string; line: number } | undefined {
  let facts: ExpressionFacts;
  try {
    facts = inspectTemplate(text);
  } catch (error) {
    if (error instanceof JinjaSourceError) return { message: error.message, line: error.line };
    throw error;
  }
  const lineOf = (pattern: RegExp) => {
    const match = pattern.exec(text);
    return match ? text.slice(0, match.index).split('\n').length : 1;
  };
  const refused = refusedStatement(text);
  if (refused) return refused;
  // A collection's filter (`community.general.json_query`) reaches the engine as its first word.
  const named = (pattern: RegExp, kind: string, name: string) => {
    const dotted = pattern.exec(text)?.[1];
    const builtin = builtinPluginName(dotted ?? '');
    const message = builtin !== undefined
      ? `${kind} '${dotted}' does not exist in Ansible: only Ansible's own ${kind}s are under ansible.builtin${(kind === 'filter' ? knownFilters : knownTests).has(builtin) ? ` (${builtin} is Jinja2's: write it without the prefix)` : ''}`
      : dotted?.includes('.') ? `${kind} '${dotted}' is from a collection etcdops does not have (only ansible.builtin's)` : `unknown ${kind} '${name}'`;
    return { message, line: lineOf(pattern) };
  };
  const filter = facts.filters.find((f) => !knownFilters.has(f));
  if (filter) return named(new RegExp(`\\|\\s*(${filter}\\b[\\w.]*)`), 'filter', filter);
  const test = facts.tests.find((t) => !knownTests.has(t));
  if (test) return named(new RegExp(`\\bis\\s+(?:not\\s+)?(${test}\\b[\\w.]*)`), 'test', test);
  // A plugin named literally is known at load; a lookup failing mid-run would leave earlier tasks applied.
  for (const call of text.matchAll(/\b(?:lookup|query|q)\(\s*(['"])(?:ansible\.builtin\.)?([\w.]+)\1/g)) {
    const plugin = call[2]!;
    if (!LOOKUP_PLUGINS.includes(plugin)) {
      return { message: `lookup plugin '${plugin}' is not supported (supported: ${LOOKUP_PLUGINS.join(', ')})`, line: text.slice(0, call.index).split('\n').length };
    }
  }
  try {
    // Inside a false branch the engine parses everything and evaluates nothing.
    run((env) => env.renderStr(`{% if false %}${engineSource(text, new Set(facts.locals))}{% endif %}`, {}));
  } catch (error) {
    if (error instanceof JinjaSourceError) return { message: error.message, line: error.line };
    const full = error instanceof Error ? error.message : String(error);
    const line = /\(in [^:]*:(\d+)\)/.exec(full);
    return { message: full.split('\n')[0]!.replace(/ \(in [^)]*\)$/, ''), line: line ? Number(line[1]) : 1 };
  }
  return undefined;
}
