// argmin_mask(x, axis): 1 at the first minimum of each run along the axis (of everything when the
// axis is null), 0 elsewhere. The derivative of amin; a built-in.
import { extremeMask } from "./extremes.ts";

export const argmin_mask = extremeMask("argmin_mask");
