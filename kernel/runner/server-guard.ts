/**
 * The private Jupyter server must not outlive the runner that started it, even one killed by SIGKILL
 * (which runs none of the runner's own cleanup). So the server runs under a few lines of Python that
 * watch, on a thread of their own, for the runner to go (the server's parent pid changes), then stop
 * the server as the runner would: SIGTERM (it shuts its kernels down), its private folder removed at
 * exit, and its process group killed if it has not ended within 10 s.
 */

const GUARD = `
import atexit, os, runpy, shutil, signal, sys, threading, time
parent, private, module = int(sys.argv[1]), sys.argv[2], sys.argv[3]
def watch():
    while os.getppid() == parent:
        time.sleep(1)
    atexit.register(shutil.rmtree, private, True)
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(10)
    shutil.rmtree(private, True)
    os.killpg(0, signal.SIGKILL)
threading.Thread(target=watch, daemon=True).start()
sys.argv = [module] + sys.argv[4:]
runpy.run_module(module, run_name="__main__", alter_sys=True)
`;

/**
 * Python arguments that run `python -m <module> <serverArgs...>` under the guard. `module` must be the
 * server application itself (jupyter_server, notebook), not `jupyter`, whose sub-command dispatch
 * replaces the process (exec) and with it the guard.
 */
export function guardedServerArgs(module: string, serverArgs: string[], privateDir: string, runnerPid = process.pid): string[] {
  return ["-c", GUARD, String(runnerPid), privateDir, module, ...serverArgs];
}
