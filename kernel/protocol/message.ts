/**
 * The Jupyter wire format (messaging protocol 5.3): a message travels as ZeroMQ frames
 *   [routing ids..., "<IDS|MSG>", hmac, header, parent_header, metadata, content, buffers...]
 * and the hmac is HMAC-SHA256 (hex) over the four JSON frames, keyed by the connection file's key.
 * Both the kernel and the client build, sign, parse and verify messages here.
 */
import { createHmac, randomUUID, timingSafeEqual } from "crypto";

export const PROTOCOL_VERSION = "5.3";
export const DELIMITER = "<IDS|MSG>";
const DELIMITER_BYTES = Buffer.from(DELIMITER);

export interface MessageHeader {
  msg_id: string;
  session: string;
  username: string;
  date: string;
  msg_type: string;
  version: string;
  [extra: string]: unknown;
}

export interface JupyterMessage<C = any> {
  /** ZeroMQ routing identities (ROUTER sockets need them to address the reply). */
  identities: Buffer[];
  header: MessageHeader;
  /** The header of the request this message answers, or {} for none. */
  parent_header: Partial<MessageHeader>;
  metadata: Record<string, unknown>;
  content: C;
  buffers: Buffer[];
  /** The socket a message arrived on, set by the receiver (handy for logs and tests). */
  channel?: "shell" | "control" | "iopub" | "stdin";
}

/** Signs JSON frames; an empty key disables signing (allowed by the spec, never used by us). */
export class Signer {
  private readonly key: string;
  constructor(key: string, readonly scheme = "hmac-sha256") {
    if (scheme !== "hmac-sha256") throw new Error(`unsupported signature_scheme '${scheme}' (only hmac-sha256)`);
    this.key = key;
  }

  sign(frames: (string | Buffer)[]): string {
    if (!this.key) return "";
    const h = createHmac("sha256", this.key);
    for (const f of frames) h.update(f);
    return h.digest("hex");
  }

  /** Constant-time check of a received signature. */
  verify(signature: string, frames: (string | Buffer)[]): boolean {
    if (!this.key) return true;
    const want = Buffer.from(this.sign(frames));
    const got = Buffer.from(signature);
    return want.length === got.length && timingSafeEqual(want, got);
  }
}

export function newHeader(msgType: string, session: string, username = "gradlab"): MessageHeader {
  return {
    msg_id: randomUUID(),
    session,
    username,
    date: new Date().toISOString(),
    msg_type: msgType,
    version: PROTOCOL_VERSION,
  };
}

export interface BuildOptions {
  parent?: Partial<MessageHeader>;
  metadata?: Record<string, unknown>;
  identities?: Buffer[];
  buffers?: Buffer[];
  username?: string;
}

export function buildMessage<C>(msgType: string, content: C, session: string, opts: BuildOptions = {}): JupyterMessage<C> {
  return {
    identities: opts.identities ?? [],
    header: newHeader(msgType, session, opts.username),
    parent_header: opts.parent ?? {},
    metadata: opts.metadata ?? {},
    content,
    buffers: opts.buffers ?? [],
  };
}

/** A reply or side effect of `parent`: same session, addressed to the same routing identities. */
export function replyTo<C>(parent: JupyterMessage, msgType: string, content: C, session: string,
                           metadata: Record<string, unknown> = {}): JupyterMessage<C> {
  return buildMessage(msgType, content, session, {
    parent: parent.header,
    identities: parent.identities,
    metadata,
    username: parent.header.username,
  });
}

/** Frames ready for socket.send(): identities, delimiter, signature, four JSON parts, buffers. */
export function serialize(msg: JupyterMessage, signer: Signer): (Buffer | string)[] {
  const parts = [
    JSON.stringify(msg.header),
    JSON.stringify(msg.parent_header ?? {}),
    JSON.stringify(msg.metadata ?? {}),
    JSON.stringify(msg.content ?? {}),
  ];
  return [...msg.identities, DELIMITER_BYTES, signer.sign(parts), ...parts, ...msg.buffers];
}

export class WireError extends Error {}

/** Parses received frames and verifies the signature; throws WireError naming what is wrong. */
export function deserialize(frames: Buffer[], signer: Signer): JupyterMessage {
  const at = frames.findIndex((f) => f.equals(DELIMITER_BYTES));
  if (at < 0) throw new WireError(`message without the ${DELIMITER} delimiter (${frames.length} frames)`);
  if (frames.length < at + 6) throw new WireError(`message has ${frames.length - at - 2} parts after the signature; need at least 4`);
  const signature = frames[at + 1].toString();
  const parts = frames.slice(at + 2, at + 6);
  if (!signer.verify(signature, parts)) throw new WireError("message signature does not match (wrong key?)");
  const json = (i: number, what: string) => {
    try {
      return JSON.parse(parts[i].toString("utf8"));
    } catch (e) {
      throw new WireError(`message ${what} is not JSON: ${(e as Error).message}`);
    }
  };
  const [header, parent_header, metadata, content] = ["header", "parent_header", "metadata", "content"].map((what, i) => requireObject(json(i, what), what));
  // A signed message can still be malformed: whatever is read from the header must be a string.
  for (const field of ["msg_id", "msg_type"]) {
    if (typeof header[field] !== "string") throw new WireError(`message header's ${field} is ${kindOf(header[field])}, not a string`);
  }
  for (const field of ["session", "username", "date", "version"]) {
    if (field in header && typeof header[field] !== "string") throw new WireError(`message header's ${field} is ${kindOf(header[field])}, not a string`);
  }
  return {
    identities: frames.slice(0, at),
    header: header as MessageHeader,
    parent_header,
    metadata,
    content,
    buffers: frames.slice(at + 6),
  };
}

/** "null", "an array", "a string", ...: what a JSON value is, for a message about it. */
function kindOf(v: unknown): string {
  if (v === null) return "null";
  if (v === undefined) return "missing";
  if (Array.isArray(v)) return "an array";
  return `${typeof v === "object" ? "an" : "a"} ${typeof v}`;
}

/** The four JSON parts of a message are objects (the spec's dicts); anything else is malformed. */
function requireObject(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new WireError(`message ${what} is ${kindOf(v)}, not an object`);
  return v as Record<string, unknown>;
}

/**
 * The messages arriving on a socket, parsed, verified and tagged with their channel. A malformed or
 * unsigned message is reported to `dropped` and skipped (the spec asks receivers to drop them); any
 * other failure ends the iteration with that error.
 */
export async function* receiveMessages(socket: AsyncIterable<unknown>, signer: Signer, channel: NonNullable<JupyterMessage["channel"]>,
                                       dropped: (why: string) => void): AsyncGenerator<JupyterMessage> {
  for await (const frames of socket) {
    let msg: JupyterMessage;
    try {
      msg = deserialize(frames as Buffer[], signer);
    } catch (e) {
      if (!(e instanceof WireError)) throw e;
      dropped(e.message);
      continue;
    }
    msg.channel = channel;
    yield msg;
  }
}
