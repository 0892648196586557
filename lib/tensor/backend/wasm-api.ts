/** The little of the WebAssembly API the wasm kernels use (the project's TypeScript lib has no DOM types). */
export interface WasmMemory { readonly buffer: ArrayBuffer; grow(pages: number): number }
export interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Memory: new (d: { initial: number; maximum: number; shared?: boolean }) => WasmMemory;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
export const WA = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

/** A kernel memory's ceiling in 64 KiB pages (the maximum gemm.wat and thin.wat declare: 1 GiB). */
export const MAX_PAGES = 16384;
