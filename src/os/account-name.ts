// What useradd and groupadd accept as a name (shadow's rules): letters, digits, "_", "." and "-", up to 32
// characters, an optional final "$", never starting with "-" (it would read as an option), never only
// digits (it would read as an id), never "." or "..". Checked at load, so `name: --help` never runs.
export const ACCOUNT_NAME_PATTERN = '^(?!-)(?![0-9]+$)(?!\\.{1,2}$)[A-Za-z0-9_.-]{1,31}\\$?$';

/** A group named, or given by its numeric id. */
export const GROUP_OR_GID_PATTERN = '^(?:[0-9]+|(?!-)(?!\\.{1,2}$)[A-Za-z0-9_.-]{1,31}\\$?)$';
