// Serializers for values that templates paste into a config format: a systemd unit line, an INI (rclone)
// file, a name inside a Prometheus query or a JSON string, a number. Each returns text that can only be
// read back as the one value it was given, or throws saying why the value cannot be written safely, so
// a newline, a quote or a specifier in a variable never adds a directive, a key or a command.
// Shell quoting is shellQuote (template-helpers.ts); YAML and JSON values use the yaml/json helpers.

// Control characters end a line (or a value) in every one of these formats.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

const shown = (value: unknown): string => JSON.stringify(value) ?? String(value);

function oneLine(value: unknown, helper: string): string {
  if (value === undefined || value === null || typeof value === 'object') throw new Error(`${helper}: ${shown(value)} is not a single value`);
  const text = String(value);
  if (CONTROL.test(text)) throw new Error(`${helper}: ${shown(text)} contains a control character (a newline, tab, ...) and would start a new line in the file`);
  return text;
}

/**
 * A free-text value of a systemd unit setting (Description=, OnCalendar=, a time span): one line, `%`
 * doubled so systemd expands no specifier, and no trailing backslash (which would join the next line).
 */
export function systemdText(value: unknown): string {
  const text = oneLine(value, 'systemdText');
  if (text.trimEnd().endsWith('\\')) throw new Error(`systemdText: ${shown(text)} ends with a backslash, which systemd reads as a line continuation`);
  return text.replaceAll('%', '%%');
}

const SYSTEMD_PATH = /^\/[A-Za-z0-9._@+,:=/~-]*$/;

/**
 * An absolute path systemd reads as exactly one word in ExecStart= and the *Paths= lists: no whitespace,
 * quotes, backslashes, `%` specifiers or `$` variables (paths with those are refused, not escaped).
 */
export function systemdPath(value: unknown): string {
  const text = oneLine(value, 'systemdPath');
  if (!SYSTEMD_PATH.test(text) || text.includes('/../') || text.endsWith('/..')) {
    throw new Error(`systemdPath: ${shown(text)} is not an absolute path of letters, digits and ._@+,:=/~- only (systemd would split or expand it)`);
  }
  return text;
}

const SYSTEMD_WORD = /^[A-Za-z0-9._@+,:=/~-]+$/;

/**
 * One word of an ExecStart= command line that is not a path (a version, a flag's value): systemd splits
 * on spaces and reads quotes, backslashes, `%` and `$`, so a value with any of those is refused, not escaped.
 */
export function systemdWord(value: unknown): string {
  const text = oneLine(typeof value === 'number' ? String(value) : value, 'systemdWord');
  if (!SYSTEMD_WORD.test(text)) throw new Error(`systemdWord: ${shown(text)} is not one word of letters, digits and ._@+,:=/~- only (systemd would split it into more arguments or expand it)`);
  return text;
}

const INI_NAME = /^[A-Za-z0-9_.+@-]+$/;

/** A section or key name of an INI file (an rclone remote or option): letters, digits and _.+@- only. */
export function iniName(value: unknown): string {
  const text = oneLine(value, 'iniName');
  if (!INI_NAME.test(text)) throw new Error(`iniName: ${shown(text)} is not a name of letters, digits and _.+@- only`);
  return text;
}

/**
 * A value after `key = ` in an INI file: one line, and neither surrounded by spaces nor starting or ending
 * with a quote (rclone's parser trims spaces and reads quotes, and triple quotes open a multi-line value).
 */
export function iniValue(value: unknown): string {
  const text = oneLine(typeof value === 'boolean' || typeof value === 'number' ? String(value) : value, 'iniValue');
  if (text !== text.trim()) throw new Error(`iniValue: ${shown(text)} starts or ends with a space, which the INI parser drops`);
  if (/^["'`]|["'`]$/.test(text)) throw new Error(`iniValue: ${shown(text)} starts or ends with a quote, which the INI parser would read as quoting`);
  return text;
}

const WORD = /^[A-Za-z0-9_.:-]+$/;

/**
 * A name pasted inside quoted strings of another language (a Prometheus job inside a query inside YAML or
 * JSON): letters, digits and _.:- only, which need no escaping in any of them.
 */
export function safeName(value: unknown): string {
  const text = oneLine(value, 'safeName');
  if (!WORD.test(text)) throw new Error(`safeName: ${shown(text)} is not a name of letters, digits and _.:- only`);
  return text;
}

/** A number, written in plain decimal notation (a threshold in a query or a rule). */
export function decimal(value: unknown): string {
  const text = typeof value === 'number' ? String(value) : oneLine(value, 'decimal').trim();
  if (!/^-?\d+(?:\.\d+)?$/.test(text) || !Number.isFinite(Number(text))) throw new Error(`decimal: ${shown(value)} is not a number`);
  return text;
}
