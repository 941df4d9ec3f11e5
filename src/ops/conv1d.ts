// conv1d(x, K, b, stride, padding): the 1-D cross-correlation of PyTorch's conv1d.
// x [B, C, L], K [O, C, k], optional bias b [O] → [B, O, (L+2p−k)/s+1]. Evaluated and emitted as
// a conv2d of height 1; see ./conv.ts for the derivative rule.
import { convOp } from "./conv.ts";

export const conv1d = convOp("conv1d", 1);
