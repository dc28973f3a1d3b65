// `--tags` / `--skip-tags` selection, as Ansible does it: `always` runs unless skipped by name,
// `never` runs only when asked for by name, `all` selects every task without `never`.

export function isSelectedByTags(taskTags: readonly string[], only: readonly string[], skip: readonly string[]): boolean {
  const has = (tag: string) => taskTags.includes(tag);
  if (skip.some(has)) return false;
  if (has('never') && !only.some((t) => t !== 'all' && has(t))) return false;
  if (only.length === 0 || only.includes('all')) return true;
  if (has('always')) return true;
  if (only.includes('tagged') && taskTags.length > 0) return true;
  if (only.includes('untagged') && taskTags.length === 0) return true;
  return only.some(has);
}
