// Whether a process of this machine still runs, for locks whose holder records its PID: a lock left by a
// process that is gone can be taken over at once.
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
