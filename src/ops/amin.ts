// amin: the minimum along one axis (or of everything), written `min(x, axis = 1)` or `min(x)` in
// .net (`min(a, b)` of two tensors is the element-wise min); also `amin(x, axis)` as NumPy.
// On a tie the whole gradient goes to the first minimum in row-major order.
import { extremeReduce } from "./extremes.ts";

export const amin = extremeReduce("amin", "argmin_mask");
