// Exit codes, as ansible-playbook documents them, so wrappers written for Ansible keep working.
export enum ExitCode {
  /** Every host ok. */
  OK = 0,
  /** An error not tied to one host. */
  ERROR = 1,
  /** At least one host failed a task. */
  HOST_FAILED = 2,
  /** At least one host was unreachable. */
  HOST_UNREACHABLE = 3,
  /** A file did not parse or validate. */
  PARSE_ERROR = 4,
  /** Bad or incompatible command-line options. */
  BAD_OPTIONS = 5,
  /** Stopped by the user (Ctrl-C). */
  INTERRUPTED = 99,
}
