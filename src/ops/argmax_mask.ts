// argmax_mask(x, axis): 1 at the first maximum of each run along the axis (of everything when the
// axis is null), 0 elsewhere. The derivative of amax; a built-in.
import { extremeMask } from "./extremes.ts";

export const argmax_mask = extremeMask("argmax_mask");
