/**
 * Ends the kernel when the process that started it (JPY_PARENT_PID: a Jupyter server, the runner) is
 * gone, as ipykernel does, whatever the main thread is doing. It runs on the wire thread, so a cell
 * spinning in `while (true) {}` cannot block it (a timer on the main thread never fired then), and it
 * ends the process with SIGKILL, which needs no JavaScript on the busy thread. Nobody is left to care
 * about an orderly exit.
 */
import { rmSync, writeSync } from "fs";

/**
 * @param connectionFile removed on the way out: the client that wrote it, gone without cleanup (SIGKILL),
 *   will never remove it (Jupyter's own clients remove theirs; a missing file is no error then).
 */
export function watchParent(connectionFile: string | null = null, intervalMs = 1000): void {
  const pid = Number(process.env.JPY_PARENT_PID);
  if (!Number.isInteger(pid) || pid <= 1) return;
  // When the parent is our own parent, a change of ppid says it is gone even if its pid is reused or
  // it lingers as a zombie (which still answers kill(pid, 0)).
  const isOurParent = process.ppid === pid;
  const gone = (): boolean => {
    if (isOurParent && process.ppid !== pid) return true;
    try {
      process.kill(pid, 0);
      return false;
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === "ESRCH";
    }
  };
  setInterval(() => {
    if (!gone()) return;
    try {
      if (connectionFile) rmSync(connectionFile, { force: true });
      // Straight to fd 2: the main thread, which normally writes the log, may be busy. A pipe whose
      // reader was the dead parent throws (EPIPE); nothing may stop the kill below.
      writeSync(2, `[gradlab kernel] parent process ${pid} is gone; exiting\n`);
    } finally {
      process.kill(process.pid, "SIGKILL");
    }
  }, intervalMs).unref();
}
