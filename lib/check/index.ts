export { assertClose, assertAtLeast } from "./known-answers";
