// The bounds every reader of user input keeps, so a hostile or broken file ends in a clear error instead of
// exhausting memory or time. Each is far above what real inventories and playbooks use: a 10,000-host YAML
// inventory is under 1 MiB, nests 6 levels deep and uses no alias at all.

/** Largest YAML file or `-e` value read, in bytes: the YAML parser needs ~80 bytes of memory per input byte. */
export const MAX_YAML_BYTES = 4 * 1024 * 1024;

/** Largest INI inventory read, in bytes: read line by line, it costs little more than its own size. */
export const MAX_INI_BYTES = 32 * 1024 * 1024;

/** Deepest nesting of mappings and lists in one YAML document (PyYAML itself stops near Python's recursion limit). */
export const MAX_YAML_DEPTH = 200;

/** Most values that YAML aliases (`*name`, `<<: *name`) may add to a document once expanded. */
export const MAX_ALIAS_EXPANSION = 100_000;

/** Most hosts one ranged host name (`node[1:100]`) may stand for, and most hosts in one inventory. */
export const MAX_HOSTS = 100_000;

/** Longest `~regex` host pattern, in characters. */
export const MAX_PATTERN_REGEX_LENGTH = 1000;
