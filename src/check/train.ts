// The `train { KEY = VALUE ... }` block: known keys, values of the right type and range, and the
// defaults for what is not given (sgd with lr 0.01, seed 0, constant schedule, shuffle on).
import type { DiagnosticBag } from "../diagnostics.ts";
import type { Expr, Stmt } from "../parse/ast.ts";
import type { OptimizerSpec, ScheduleSpec, TrainConfig } from "../train-spec.ts";
import { bareName, notANumber, numberLiteral } from "./literal.ts";
import { sourceText, suggestion } from "./text.ts";

type TrainStmt = Extract<Stmt, { kind: "train" }>;

export const TRAIN_KEYS = ["optimizer", "epochs", "steps", "seed", "schedule", "shuffle"];

export function defaultTrainConfig(): TrainConfig {
  return {
    optimizer: { kind: "sgd", lr: 0.01, momentum: 0 },
    epochs: null,
    steps: null,
    seed: 0,
    schedule: { kind: "constant" },
    shuffle: true,
  };
}

type Check = (v: number) => string | null;
const positive: Check = (v) => (v > 0 ? null : "must be positive");
const fraction: Check = (v) => (v >= 0 && v < 1 ? null : "must be at least 0 and less than 1");
const positiveInt: Check = (v) => (Number.isSafeInteger(v) && v > 0 ? null : "must be a positive integer");

interface CallSpec {
  params: { name: string; default: number | null; check: Check }[];
}

const OPTIMIZERS: Record<string, CallSpec> = {
  sgd: {
    params: [
      { name: "lr", default: 0.01, check: positive },
      { name: "momentum", default: 0, check: fraction },
    ],
  },
  adam: {
    params: [
      { name: "lr", default: 0.001, check: positive },
      { name: "beta1", default: 0.9, check: fraction },
      { name: "beta2", default: 0.999, check: fraction },
      { name: "eps", default: 1e-8, check: positive },
    ],
  },
};

const SCHEDULES: Record<string, CallSpec> = {
  constant: { params: [] },
  step: {
    params: [
      { name: "every", default: null, check: positiveInt },
      { name: "factor", default: null, check: positive },
    ],
  },
  exponential: { params: [{ name: "rate", default: null, check: positive }] },
};

/** `sgd(lr = 0.1)`, `step(10, 0.5)`, `constant`: a call (or bare name) with number arguments. */
function readCall(bag: DiagnosticBag, source: string, key: string, e: Expr, specs: Record<string, CallSpec>): Record<string, number> & { kind: string } | null {
  const kinds = Object.keys(specs);
  const name = e.kind === "call" ? e.callee : e.kind === "name" ? e.name : null;
  if (name === null || !(name in specs)) {
    const found = name ?? sourceText(source, e.span);
    bag.error(`unknown ${key} '${found}'${name ? suggestion(name, kinds) : ""}: expected ${kinds.join(", ")}`, e.span);
    return null;
  }
  const spec = specs[name]!;
  const names = spec.params.map((p) => p.name);
  const out: Record<string, number> & { kind: string } = { kind: name } as never;
  const args: [number, Expr][] = [];
  if (e.kind === "call") {
    if (e.args.length > spec.params.length) {
      bag.error(`${name} takes ${spec.params.length === 0 ? "no" : `at most ${spec.params.length}`} arguments${names.length ? ` (${names.join(", ")})` : ""}, found ${e.args.length}`, e.span);
      return null;
    }
    e.args.forEach((a, i) => args.push([i, a]));
    for (const kw of e.kwargs) {
      const i = names.indexOf(kw.name);
      if (i < 0) {
        bag.error(`${name} has no setting '${kw.name}'${suggestion(kw.name, names)}${names.length ? ` (it has ${names.join(", ")})` : ""}`, kw.span);
        return null;
      }
      if (args.some(([j]) => j === i)) {
        bag.error(`setting '${kw.name}' of ${name} is given twice`, kw.span);
        return null;
      }
      args.push([i, kw.value]);
    }
  }
  let ok = true;
  for (const [i, a] of args) {
    const p = spec.params[i]!;
    const v = numberLiteral(a);
    if (v === null || !Number.isFinite(v)) {
      bag.error(notANumber(`${p.name} of ${name}`, a, source), a.span);
      ok = false;
      continue;
    }
    const problem = p.check(v);
    if (problem) {
      bag.error(`${p.name} of ${name} ${problem}, found ${sourceText(source, a.span)}`, a.span);
      ok = false;
    } else out[p.name] = v!;
  }
  const given = new Set(args.map(([i]) => i));
  spec.params.forEach((p, i) => {
    // A setting given with a bad value was reported above: no "needs" error on top of it.
    if (out[p.name] !== undefined || given.has(i)) return;
    if (p.default === null) {
      bag.error(`${name} needs ${p.name}: ${name}(${names.join(", ")})`, e.span);
      ok = false;
    } else out[p.name] = p.default;
  });
  return ok ? out : null;
}

function readInt(bag: DiagnosticBag, source: string, key: string, e: Expr, positiveOnly: boolean): number | null {
  const v = numberLiteral(e);
  if (v === null || !Number.isSafeInteger(v) || (positiveOnly && v <= 0)) {
    bag.error(`${key} must be ${positiveOnly ? "a positive integer" : "an integer"}, found ${sourceText(source, e.span)}`, e.span);
    return null;
  }
  return v;
}

/** The train configuration of a `train` block, every problem reported to `bag`. */
export function readTrain(bag: DiagnosticBag, source: string, stmt: TrainStmt): TrainConfig {
  const config = defaultTrainConfig();
  const seen = new Map<string, Expr["span"]>();
  for (const { key, value } of stmt.entries) {
    const first = seen.get(key.name);
    if (first) {
      bag.error(`train key ${key.name} is given twice (first at ${first.line}:${first.col})`, key.span);
      continue;
    }
    seen.set(key.name, key.span);
    switch (key.name) {
      case "optimizer": {
        const o = readCall(bag, source, "optimizer", value, OPTIMIZERS);
        if (o) config.optimizer = o as unknown as OptimizerSpec;
        break;
      }
      case "schedule": {
        const s = readCall(bag, source, "schedule", value, SCHEDULES);
        if (s) config.schedule = s as unknown as ScheduleSpec;
        break;
      }
      case "epochs":
      case "steps": {
        const n = readInt(bag, source, key.name, value, true);
        if (n !== null) config[key.name] = n;
        break;
      }
      case "seed": {
        const n = readInt(bag, source, "seed", value, false);
        if (n !== null) config.seed = n;
        break;
      }
      case "shuffle": {
        const b = bareName(value);
        if (value.kind === "name" && (b === "true" || b === "false")) config.shuffle = b === "true";
        else bag.error(`shuffle must be true or false, found ${sourceText(source, value.span)}`, value.span);
        break;
      }
      default:
        bag.error(`unknown train key '${key.name}'${suggestion(key.name, TRAIN_KEYS)}: expected ${TRAIN_KEYS.join(", ")}`, key.span);
    }
  }
  return config;
}
