// conv2d(x, K, b, stride, padding): the 2-D cross-correlation of PyTorch's conv2d, NCHW.
// x [B, C, H, W], K [O, C, kh, kw], optional bias b [O] → [B, O, (H+2p−kh)/s+1, (W+2p−kw)/s+1].
// The geometry, the shape rule and the shared derivative rule are in ./window.ts and ./conv.ts.
import { convOp } from "./conv.ts";

export const conv2d = convOp("conv2d", 2);
