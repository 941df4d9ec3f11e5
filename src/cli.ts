// The command line: argv → one of the commands in src/commands. No logic of its own beyond
// argument parsing (commander), and turning errors into the fixed exit statuses:
// 1 for a problem in a model or data file, 2 for bad command-line use.
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { reportAndExit } from "./commands/common.ts";
import { NetcError, UsageError } from "./diagnostics.ts";
import { VERSION } from "./version.ts";
import { exitQuietlyOnBrokenPipe } from "./commands/broken-pipe.ts";

function intArg(value: string): number {
  if (!/^-?\d+$/.test(value)) throw new InvalidArgumentError(`expected an integer, found '${value}'`);
  return Number(value);
}

function posIntArg(value: string): number {
  const n = intArg(value);
  if (n <= 0) throw new InvalidArgumentError(`expected a positive integer, found '${value}'`);
  return n;
}

function numArg(value: string): number {
  const n = Number(value);
  if (Number.isNaN(n) || value.trim() === "") throw new InvalidArgumentError(`expected a number, found '${value}'`);
  if (!Number.isFinite(n)) throw new InvalidArgumentError(`'${value}' is out of range (float64 numbers reach about ±1.8e308)`);
  return n;
}

/** A learning rate: like the train block's `lr`, it must be positive. */
function lrArg(value: string): number {
  const n = numArg(value);
  if (n <= 0) throw new InvalidArgumentError(`a learning rate must be positive, found '${value}'`);
  return n;
}

function dimArg(value: string, previous: Record<string, number> = Object.create(null)): Record<string, number> {
  const m = /^([\p{L}_][\p{L}\p{M}0-9_]*)=(\d+)$/u.exec(value);
  if (!m) throw new InvalidArgumentError(`expected NAME=INT, found '${value}'`);
  const n = Number(m[2]);
  if (n <= 0) throw new InvalidArgumentError(`dim ${m[1]} must be a positive integer, found ${m[2]}`);
  const out: Record<string, number> = Object.assign(Object.create(null), previous);
  out[m[1]!] = n;
  return out;
}

const dtypeOption = () => new Option("--dtype <dtype>", "number type of the generated code").choices(["f64", "f32"]).default("f64");
const targetOption = () =>
  new Option("--target <target>", "what to generate: TypeScript loops (js) or a WebAssembly SIMD module (wasm)").choices(["js", "wasm"]).default("js");
const dimOption = () => new Option("--dim <NAME=INT>", "override a `dim` of the model (repeatable)").argParser(dimArg);

export function buildProgram(): Command {
  const program = new Command();
  program
    .name("netc")
    .description("Compile .net neural-network models to specialized TypeScript forward and gradient code, then check, train and evaluate them.")
    .version(VERSION, "-V, --version")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(str) });

  program
    .command("compile")
    .description("write the generated TypeScript module for FILE (JavaScript and .d.ts with --emit js) and print its path")
    .argument("<file>", "the .net model file")
    .option("-o, --out-dir <dir>", "output directory", "generated")
    .addOption(dtypeOption())
    .addOption(targetOption())
    .addOption(dimOption())
    .addOption(
      new Option("--emit <stage>", "print one stage instead of writing the module (js: write <model>.js and <model>.d.ts instead; wat: print the wasm module)").choices([
        "ast",
        "ir",
        "grad",
        "ts",
        "js",
        "wat",
      ]),
    )
    .action(async (file, opts) => (await import("./commands/compile.ts")).compileCommand(file, opts));

  program
    .command("grad")
    .description("print every requested derivative as a simplified expression, or evaluate them with --at")
    .argument("<file>", "the .net model file")
    .option("--at <values.json>", "evaluate the compiled code at these values (any number of rows along the batch dim)")
    .option("--params <params.json>", "with --at: the params saved by `netc train` (instead of the values file's)")
    .option("--json", "print {\"value\": ..., \"grad\": ...} as JSON (with --at)")
    .addOption(new Option("--emit <stage>", "print the IR before and after simplification").choices(["ir"]))
    .addOption(dtypeOption())
    .addOption(targetOption())
    .addOption(dimOption())
    .action(async (file, opts) => (await import("./commands/grad.ts")).gradCommand(file, opts));

  program
    .command("explain")
    .description("print the derivation of every gradient, step by step, as the code computes it")
    .argument("<file>", "the .net model file")
    .addOption(new Option("--format <format>", "output format").choices(["md", "html", "json", "dot"]).default("md"))
    .option("--at <values.json>", "plug in these values (inputs, and params unless --params)")
    .option("--params <params.json>", "parameters saved by `netc train`")
    .option("-o, --out <file>", "write to this file instead of stdout")
    .addOption(dimOption())
    .action(async (file, opts) => (await import("./commands/explain.ts")).explainCommand(file, opts));

  program
    .command("check")
    .description("compare every derivative with central finite differences; exit 1 on failure, 3 if not verified")
    .argument("<file>", "the .net model file")
    .option("--at <values.json>", "check at these values (default: drawn from the initializers)")
    .option("--seed <n>", "seed for the values drawn", intArg, 0)
    .addOption(dtypeOption())
    .addOption(targetOption())
    .addOption(dimOption())
    .addHelpText(
      "after",
      [
        "",
        "Exit status:",
        "  0  every derivative agrees with finite differences",
        "  1  a derivative disagrees (or the model has an error)",
        "  2  bad command-line use",
        "  3  not verified: none disagrees, but some derivative was never measured (every probe's",
        "     step crosses a kink of relu, abs, max or min); check at other values with --at or --seed",
      ].join("\n"),
    )
    .action(async (file, opts) => (await import("./commands/check.ts")).checkCommand(file, opts));

  program
    .command("train")
    .description("train the model's params with its loss, with progress, and save them")
    .argument("<file>", "the .net model file")
    .option("--data <source>", "mnist, xor, a .json values file or a .csv file")
    .option("--epochs <n>", "number of epochs", posIntArg)
    .option("--steps <n>", "number of optimizer steps", posIntArg)
    .option("--lr <x>", "learning rate", lrArg)
    .option("--seed <n>", "random seed (initialization, shuffling)", intArg)
    .option("--out <params.json>", "where to save the parameters")
    .option("--resume <params.json>", "continue from saved parameters and optimizer state")
    .option("--checkpoint-every <n>", "also save every N epochs", posIntArg)
    .option("--plot <dir>", "write the loss curve (and decision boundary) as SVG")
    .option("--quiet", "print only the final summary")
    .option("--workers <n>", "split each batch over N threads (data-parallel; same N, same result)", posIntArg, 1)
    .addOption(dtypeOption())
    .addOption(targetOption())
    .addOption(dimOption())
    .action(async (file, opts) => (await import("./commands/train/index.ts")).trainCommand(file, opts));

  program
    .command("eval")
    .description("print the loss (and accuracy for one-hot targets) of saved parameters")
    .argument("<file>", "the .net model file")
    .requiredOption("--params <params.json>", "parameters saved by `netc train`")
    .option("--data <source>", "mnist (its 2,000 test digits), xor, a .json or .csv file")
    .option("--json", "print {\"loss\": L, \"accuracy\": A}")
    .addOption(dtypeOption())
    .addOption(targetOption())
    .addOption(dimOption())
    .action(async (file, opts) => (await import("./commands/eval.ts")).evalCommand(file, opts));

  program
    .command("predict")
    .description("print the model's outputs for the inputs in a values file")
    .argument("<file>", "the .net model file")
    .requiredOption("--params <params.json>", "parameters saved by `netc train`")
    .requiredOption("--at <values.json>", "the inputs")
    .addOption(dtypeOption())
    .addOption(targetOption())
    .addOption(dimOption())
    .action(async (file, opts) => (await import("./commands/predict.ts")).predictCommand(file, opts));

  program
    .command("fmt")
    .description("format .net files: print them, list the unformatted ones (--check) or rewrite them (--write)")
    .argument("<files...>", "the .net model files")
    .option("--check", "list the files that are not formatted; exit 1 if there are any")
    .option("--write", "rewrite the files that are not formatted, in place")
    .action(async (files, opts) => (await import("./commands/fmt.ts")).fmtCommand(files, opts));

  return program;
}

export async function main(argv: string[]): Promise<number> {
  exitQuietlyOnBrokenPipe();
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: "user" });
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help, `help` and --version exit 0; every other commander error is bad command-line use,
      // `netc` with no command included (commander prints the help on stderr with exit code 1).
      if (err.code === "commander.helpDisplayed" || err.code === "commander.version") return 0;
      if (err.code === "commander.help") return err.exitCode === 0 ? 0 : 2;
      return 2;
    }
    if (err instanceof NetcError || err instanceof UsageError) return reportAndExit(err);
    return reportAndExit(err);
  }
}

const isMain = process.argv[1] !== undefined && /(?:cli\.ts|netc(?:\.js)?)$/.test(process.argv[1]);
if (isMain) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
