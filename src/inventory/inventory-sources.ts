// What each `-i` names, found as Ansible's inventory manager finds it: a file; a folder, whose entries are read
// in sorted order (sub-folders too), skipping hidden names, `group_vars`/`host_vars`/`vars_plugins` and the
// extensions Ansible ignores (INVENTORY_IGNORE_EXTS: `.ini` and `.txt` among them); or, when no such path
// exists, a comma-separated host list (`-i 'web1,web2:2222,'`). The folder whose group_vars/host_vars apply is
// the folder itself, or the file's own folder.
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ExitCode } from '../errors/exit-code.js';
import { UserError } from '../errors/user-error.js';

export interface InventorySource {
  /** The path as given. */
  readonly path: string;
  /** Inventory files to read, in order; empty for a host list. */
  readonly files: readonly string[];
  /** Hosts of a comma-separated host list. */
  readonly hostList?: readonly string[];
  /** Folder holding the `group_vars/` and `host_vars/` of this source; undefined for a host list. */
  readonly varsFolder?: string;
}

const IGNORED_NAMES = /^\.|^host_vars$|^group_vars$|^vars_plugins$/;
const IGNORED_EXTENSIONS = ['.pyc', '.pyo', '.swp', '.bak', '~', '.rpm', '.md', '.txt', '.rst', '.orig', '.ini', '.cfg', '.retry'];

export function isIgnoredInFolder(name: string): boolean {
  return IGNORED_NAMES.test(name) || IGNORED_EXTENSIONS.some((extension) => name.endsWith(extension));
}

export function findInventorySource(path: string): InventorySource {
  let isFolder: boolean;
  try {
    const info = statSync(path);
    isFolder = info.isDirectory();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && path.includes(',')) {
      return { path, files: [], hostList: path.split(',').map((host) => host.trim()).filter(Boolean) };
    }
    // A wrong -i is a bad option (exit 5), not a file that failed to parse.
    const reason = code === 'ENOENT' ? 'no such inventory file or folder' : `cannot read the inventory (${code ?? 'error'})`;
    throw new UserError(reason, ExitCode.BAD_OPTIONS, { file: path });
  }
  if (!isFolder) return { path, files: [path], varsFolder: dirname(path) };
  const files = filesIn(path);
  if (files.length === 0) throw new UserError('the inventory folder holds no inventory file (hidden names and ignored extensions such as .ini are skipped, as in Ansible)', ExitCode.BAD_OPTIONS, { file: path });
  return { path, files, varsFolder: path };
}

function filesIn(folder: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(folder).sort()) {
    if (isIgnoredInFolder(name)) continue;
    const path = join(folder, name);
    if (statSync(path).isDirectory()) files.push(...filesIn(path));
    else files.push(path);
  }
  return files;
}
