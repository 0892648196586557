// Filled in by the work on this part (issue 2 or 3); empty until then so that lib/index.ts compiles.
export {};
