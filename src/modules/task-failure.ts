// The value a module's plan throws when the task must fail on this host (an assertion that does not hold,
// a path of the wrong type): the executor reports the host failed with `msg` and the registered result.
export class TaskFailure extends Error {
  constructor(
    message: string,
    readonly result?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = 'TaskFailure';
  }
}
