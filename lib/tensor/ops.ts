/**
 * The raw numeric kernels behind Tensor's methods. They never record gradients: gates call these, and
 * a faster implementation (WebAssembly, threads) can replace one without touching the API.
 */
export * from "./ops/elementwise";
export * from "./ops/reduce";
export * from "./ops/matmul";
export * from "./ops/layout";
export * from "./ops/gemm";
