// Exit codes as ansible-playbook (ansible-core 2.14) returns them, so wrappers written for Ansible keep
// working. Its docs list 3 for an unreachable host, but it exits 4, as it does for a parse error.
export enum ExitCode {
  /** Every host ok. */
  OK = 0,
  /** An error not tied to one host. */
  ERROR = 1,
  /** At least one host failed a task. */
  HOST_FAILED = 2,
  /** At least one host was unreachable (this wins over a failed host, as in Ansible). */
  HOST_UNREACHABLE = 4,
  /** A file did not parse or validate (the same code as an unreachable host, as in Ansible). */
  PARSE_ERROR = 4,
  /** Bad or incompatible command-line options. */
  BAD_OPTIONS = 5,
  /** Stopped by the user (Ctrl-C). */
  INTERRUPTED = 99,
}
