// Where secret variables may come from besides the command line (visible in `ps` and shell history): an
// environment variable, or an `-e @FILE` that only its owner can read. Also which variable names count as
// secret: those are redacted from every output and never written to a plan file; and all values a run
// knows to be secret before it starts.
import { statSync } from 'node:fs';
import { ExitCode } from '../errors/exit-code.js';
import { UserError } from '../errors/user-error.js';
import { SecretValues, looksSecret } from '../reporters/secret-values.js';
import { parseExtraVars } from './extra-vars.js';
import type { LoadedRun } from './run-context.js';

/** Environment variables that set a secret variable when `-e` does not. */
export const SECRET_ENVIRONMENT: Readonly<Record<string, string>> = {
  ETCDOPS_CA_PASSPHRASE: 'etcd_ca_passphrase',
};

export { looksSecret };

export interface SecretSources {
  /** Variables set from SECRET_ENVIRONMENT. */
  readonly environment: Readonly<Record<string, string>>;
  /** Names defined in an owner-only `-e @FILE`: every value there is treated as secret. */
  readonly fromPrivateFiles: ReadonlySet<string>;
}

/**
 * Reads the environment's secrets and checks `-e @FILE` arguments: a file that others can read may not
 * define a secret-looking name (its value would be as good as public).
 */
export function readSecretSources(extraVarArgs: readonly string[], env: NodeJS.ProcessEnv): SecretSources {
  const environment: Record<string, string> = {};
  for (const [variable, name] of Object.entries(SECRET_ENVIRONMENT)) {
    const value = env[variable];
    if (value) environment[name] = value;
  }
  const fromPrivateFiles = new Set<string>();
  for (const raw of extraVarArgs) {
    const text = raw.trim();
    if (!text.startsWith('@')) continue;
    const file = text.slice(1);
    let mode: number;
    try {
      mode = statSync(file).mode & 0o777;
    } catch {
      continue; // parseExtraVars reports a missing file with its own message.
    }
    const names = Object.keys(parseExtraVars([text]));
    if ((mode & 0o077) === 0) for (const name of names) fromPrivateFiles.add(name);
    else {
      const secret = names.filter(looksSecret);
      if (secret.length) {
        throw new UserError(
          `-e @${file}: defines ${secret.join(', ')} but group or others can read it (mode ${mode.toString(8).padStart(4, '0')}); run chmod 600 ${file}`,
          ExitCode.BAD_OPTIONS,
        );
      }
    }
  }
  return { environment, fromPrivateFiles };
}

/** Every secret name among the run's variables. */
export function secretNames(vars: Readonly<Record<string, unknown>>, sources: SecretSources): Set<string> {
  return new Set([...Object.keys(vars).filter(looksSecret), ...sources.fromPrivateFiles, ...Object.keys(sources.environment)]);
}

/** The run's known secrets: secret -e values, and inventory, play and role-default variables with a secret name. */
export function knownSecrets(run: Pick<LoadedRun, 'secretNames' | 'extraVars' | 'inventory' | 'playbook'>): SecretValues {
  const secrets = new SecretValues();
  for (const name of run.secretNames) secrets.add(run.extraVars[name]);
  for (const host of run.inventory.hosts.values()) secrets.addSecretNamed(host.vars);
  for (const play of run.playbook.plays) {
    secrets.addSecretNamed(play.vars);
    secrets.addSecretNamed(play.roleDefaults);
  }
  return secrets;
}
