/** The kernel_info_reply content: who we are, what language, which versions, where to get help. */
import { PROTOCOL_VERSION } from "../protocol/message";
import type { WireConfig } from "../bridge";
import { plannedBackend } from "../../lib/tensor/backend/select";

export function kernelInfo(versions: WireConfig["versions"]) {
  return {
    status: "ok",
    protocol_version: PROTOCOL_VERSION,
    implementation: "gradlab",
    implementation_version: versions.gradlab,
    language_info: {
      name: "typescript",
      version: versions.typescript,
      mimetype: "text/typescript",
      file_extension: ".ts",
      pygments_lexer: "typescript",
      // Classic Notebook and JupyterLab pick TypeScript highlighting from this (the tslab recipe).
      codemirror_mode: { name: "javascript", typescript: true, mode: "typescript" },
      nbconvert_exporter: "script",
    },
    banner: `gradlab TypeScript kernel ${versions.gradlab} (TypeScript ${versions.typescript} via tslab ${versions.tslab}, Node.js ${process.versions.node}; matrix products: ${plannedBackend()})`,
    debugger: false,
    help_links: [
      { text: "gradlab kernel", url: "https://github.com/gradlab/gradlab/blob/main/docs/kernel.md" },
      { text: "TypeScript handbook", url: "https://www.typescriptlang.org/docs/handbook/intro.html" },
      { text: "Node.js API", url: `https://nodejs.org/docs/v${process.versions.node}/api/` },
    ],
  };
}
