// Reading and atomically writing the PEM files of the control node's PKI folder with exact modes,
// so a crash never leaves a half-written key and a key is never readable by others, even briefly.
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';

/** Mode of private key files: owner read/write only. */
export const KEY_FILE_MODE = 0o600;
/** Mode of certificate files: public material. */
export const CERT_FILE_MODE = 0o644;
/** Mode of the PKI folder: only the owner may list it. */
export const PKI_DIR_MODE = 0o700;

export async function ensurePkiDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: PKI_DIR_MODE });
}

/** Writes through a temp file in the same folder created with the final mode, then renames over the target. */
export async function writeFileAtomic(path: string, content: string, mode: number): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temp, content, { mode, flag: 'wx' });
    // The umask may have narrowed the mode at creation; make it exact.
    await chmod(temp, mode);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** The file's text, or undefined when it does not exist. */
export async function readFileIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Permission bits of a file (without the type bits). */
export async function fileMode(path: string): Promise<number> {
  return (await stat(path)).mode & 0o777;
}
