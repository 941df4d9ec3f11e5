// Dropout while training: a generated module keeps one mask per `dropout(x, p)` of the model, all
// ones (the identity) for every call. For a training step the trainer fills them with inverted
// dropout's values (0 with probability p, else 1/(1 - p), as PyTorch) drawn from the run's seeded
// stream for that step, so a run — resumed or not — drops the same entries; after the step it sets
// them back to ones, so evaluation between steps sees the identity.
import type { GeneratedModule } from "./contract.ts";
import { createRng } from "./rng.ts";

/** Draws the masks of `module` for training step `step` (0-based) of a run seeded `seed`. */
export function drawDropoutMasks(module: GeneratedModule, seed: number, step: number): void {
  const masks = module.dropoutMasks;
  const sites = module.meta.dropout;
  if (!masks || !sites) return;
  const rng = createRng(seed, "dropout", step);
  sites.forEach(({ p }, i) => {
    const m = masks[i]!;
    const keep = 1 / (1 - p);
    for (let k = 0; k < m.length; k++) m[k] = rng.uniform() < p ? 0 : keep;
  });
}

/** Sets every mask of `module` back to ones: dropout is the identity again. */
export function clearDropoutMasks(module: GeneratedModule): void {
  for (const m of module.dropoutMasks ?? []) m.fill(1);
}
