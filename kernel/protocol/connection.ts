/**
 * Connection files: the JSON a Jupyter front end writes to tell a kernel where to listen
 * (transport, ip, five ports) and how to sign (key, signature_scheme).
 */
import { randomBytes } from "crypto";
import { readFileSync, writeFileSync } from "fs";
import { createServer } from "net";

export interface ConnectionInfo {
  transport: "tcp" | "ipc";
  ip: string;
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
  key: string;
  signature_scheme: string;
  kernel_name?: string;
}

export const CHANNELS = ["shell", "iopub", "stdin", "control", "hb"] as const;
export type Channel = (typeof CHANNELS)[number];

export function readConnectionFile(path: string): ConnectionInfo {
  let raw: string;
  try {
    raw = readFileSync(path, "utf8");
  } catch (e) {
    throw new Error(`cannot read connection file ${path}: ${(e as Error).message}`);
  }
  let info: any;
  try {
    info = JSON.parse(raw);
  } catch (e) {
    throw new Error(`connection file ${path} is not JSON: ${(e as Error).message}`);
  }
  const missing = ["ip", "key", ...CHANNELS.map((c) => `${c}_port`)].filter((k) => info[k] === undefined);
  if (missing.length) throw new Error(`connection file ${path} lacks ${missing.join(", ")}`);
  return { transport: "tcp", signature_scheme: "hmac-sha256", ...info };
}

export function endpoint(info: ConnectionInfo, channel: Channel): string {
  const port = info[`${channel}_port`];
  return info.transport === "ipc" ? `ipc://${info.ip}-${port}` : `tcp://${info.ip}:${port}`;
}

/** A port the OS reports free right now (the kernel binds it moments later, as jupyter_client does). */
function freePort(ip: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, ip, () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Fresh connection info on localhost with five distinct free ports and a random key. */
export async function newConnectionInfo(ip = "127.0.0.1"): Promise<ConnectionInfo> {
  const ports = new Set<number>();
  while (ports.size < CHANNELS.length) ports.add(await freePort(ip));
  const [shell_port, iopub_port, stdin_port, control_port, hb_port] = [...ports];
  return {
    transport: "tcp", ip, shell_port, iopub_port, stdin_port, control_port, hb_port,
    key: randomBytes(32).toString("hex"), signature_scheme: "hmac-sha256",
  };
}

export function writeConnectionFile(path: string, info: ConnectionInfo): void {
  writeFileSync(path, JSON.stringify(info, null, 2), { mode: 0o600 });
}
