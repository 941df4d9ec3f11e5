// ge(a, b): the mask 1 where a >= b, else 0 (PyTorch's torch.ge as numbers); routes max/min
// gradients (ties go to the first argument). A built-in, so those gradients print as .net.
import { binaryOp, tensorArg } from "./shared.ts";

export const ge = binaryOp({
  name: "ge",
  builtin: { name: "ge", params: [tensorArg("a"), tensorArg("b")] },
  verb: "cannot compare $0 with $1",
  f: (a, b) => (a >= b ? 1 : 0),
  scalar: (a, b) => `(${a} >= ${b} ? 1 : 0)`,
  kink: "difference",
  mask: true,
  // a mask: its derivative is zero (almost everywhere)
  vjp: () => [null, null],
});
