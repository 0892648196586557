/**
 * zeromq 6 allows only one pending send() per socket (a second one rejects with EBUSY), so every
 * socket that several tasks write to goes through one of these: sends leave in call order.
 */
import type { Socket } from "zeromq";
import { JupyterMessage, serialize, Signer } from "./message";

export class SerialSender {
  private tail: Promise<void> = Promise.resolve();
  /** The first failure, kept for the owner to report (a closed socket during shutdown is normal). */
  lastError: Error | null = null;

  constructor(private readonly socket: Socket & { send(frames: any): Promise<void> }, private readonly signer: Signer) {}

  send(msg: JupyterMessage): Promise<void> {
    return this.sendFrames(serialize(msg, this.signer));
  }

  sendFrames(frames: (Buffer | string)[]): Promise<void> {
    const next = this.tail.then(() => this.socket.send(frames)).catch((e: Error) => {
      this.lastError = e;
    });
    this.tail = next;
    return next;
  }

  /** Resolves once everything sent so far has been handed to ZeroMQ. */
  flush(): Promise<void> {
    return this.tail;
  }
}
