/** The Node Jupyter client (see client.ts) and the wire types it speaks. */
export { KernelClient, defaultKernelArgv, packageRoot } from "./client";
export type { ExecuteOptions, ExecuteReplyContent, ExecuteResult, LaunchOptions } from "./client";
export type { JupyterMessage, MessageHeader } from "../protocol/message";
export type { ConnectionInfo } from "../protocol/connection";
