/** The matrix-product backends (native BLAS, WebAssembly, js) and the choice between them. */
export { gemm, activeBackend, backendInfo, loadBackend, plannedBackend, setBackend } from "./select";
export type { Backend, BackendName, Gemm } from "./kernel";
