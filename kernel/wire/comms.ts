/**
 * Comms (comm_open / comm_msg / comm_close, comm_info). gradlab ships no widgets, so every target is
 * accepted and remembered (comm_info lists open comms); the target "gradlab.echo" answers each
 * comm_msg with the same data, which lets tests and front ends check the round trip.
 */
export const ECHO_TARGET = "gradlab.echo";

export class Comms {
  private readonly open = new Map<string, string>(); // comm_id -> target_name

  onOpen(commId: string, target: string): void {
    this.open.set(commId, target);
  }

  onClose(commId: string): void {
    this.open.delete(commId);
  }

  /** The echo reply for a comm_msg, or null when the comm is not an echo comm. */
  echo(commId: string, data: unknown): { comm_id: string; data: unknown } | null {
    return this.open.get(commId) === ECHO_TARGET ? { comm_id: commId, data } : null;
  }

  info(targetName?: string): Record<string, { target_name: string }> {
    const comms: Record<string, { target_name: string }> = {};
    for (const [id, target] of this.open) {
      if (!targetName || target === targetName) comms[id] = { target_name: target };
    }
    return comms;
  }

  clear(): void {
    this.open.clear();
  }
}
