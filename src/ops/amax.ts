// amax: the maximum along one axis (or of everything), written `max(x, axis = 1)` or `max(x)` in
// .net (`max(a, b)` of two tensors is the element-wise max); also `amax(x, axis)` as NumPy.
// On a tie the whole gradient goes to the first maximum in row-major order.
import { extremeReduce } from "./extremes.ts";

export const amax = extremeReduce("amax", "argmax_mask");
