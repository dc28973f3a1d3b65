// Finds a task's `src` file on the control node: the role's folders first, then the playbook's folder
// (and its `files/` or `templates/` subfolder), as Ansible searches.
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { UserError } from '../errors/user-error.js';
import type { ModuleContext } from '../modules/module.js';

export function resolveSource(src: string, ctx: Pick<ModuleContext, 'baseDir' | 'searchPaths'>, kind: 'files' | 'templates'): string {
  if (isAbsolute(src)) {
    if (existsSync(src)) return src;
    throw new UserError(`source file ${src} does not exist`);
  }
  const candidates = [
    ...new Set([...ctx.searchPaths.map((dir) => join(dir, src)), join(ctx.baseDir, kind, src), join(ctx.baseDir, src)]),
  ];
  const found = candidates.find((c) => existsSync(c));
  if (found) return found;
  throw new UserError(`source file ${src} not found; looked in: ${candidates.join(', ')}`);
}
