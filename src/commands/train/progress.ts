// What training prints while it runs. On a terminal: a progress bar per epoch (cli-progress) with
// examples/s and the running loss, then one summary line per epoch. Elsewhere (pipes, CI, tests):
// plain lines only. Models that take one step per epoch (no data, or full-batch) print a line per
// step when there are at most 100 (with the value of every scalar param: seed 000's table), else
// about 20 evenly spaced lines. Epoch lines likewise: every epoch of a run of at most 50, else the
// first, about 20 evenly spaced ones, the last, and any epoch that ends 30 s or more after the
// last line (so a log piped to a file stays short but never silent for long). `--quiet` prints
// none of this.
import cliProgress from "cli-progress";
import type { Tensor } from "../../runtime/contract.ts";
import type { EvalResult } from "../../runtime/evaluate.ts";
import { fmtNum, fmtPercent, fmtSeconds, fmtCount } from "../format.ts";
import type { StepInfo } from "../../runtime/trainer.ts";

export interface RunInfo {
  totalSteps: number;
  startStep: number;
  stepsPerEpoch: number;
  totalEpochs: number;
  /** Whether the length was given in steps (lines say "step") or epochs. */
  stepMode: boolean;
  /** Names of the params when all are scalars (printed on step lines), else null. */
  scalarParams: string[] | null;
}

export interface EpochSummary {
  epoch: number;
  totalEpochs: number;
  /** Mean batch loss over the epoch. */
  loss: number;
  train: EvalResult | null;
  test: EvalResult | null;
  ms: number;
  examples: number;
}

export interface Reporter {
  begin(info: RunInfo): void;
  /** Whether the summary of this (1-based) epoch will be printed (else it need not be computed). */
  showsEpoch(epoch: number): boolean;
  epochStart(epoch: number, firstBatch: number): void;
  step(info: StepInfo, params: readonly Tensor[]): void;
  epochEnd(summary: EpochSummary): void;
  /** A line that is always printed (even with --quiet). */
  line(text: string): void;
  /** Ends any progress bar (before printing elsewhere, or on exit). */
  stop(): void;
}

export function epochLine(s: EpochSummary): string {
  const width = String(s.totalEpochs).length;
  const parts = [`epoch ${String(s.epoch).padStart(width)}/${s.totalEpochs}`, `loss ${fmtNum(s.loss)}`];
  if (s.train?.accuracy != null) parts.push(`train acc ${fmtPercent(s.train.accuracy)}`);
  if (s.test) {
    parts.push(`test loss ${fmtNum(s.test.loss)}`);
    if (s.test.accuracy !== null) parts.push(`test acc ${fmtPercent(s.test.accuracy)}`);
  }
  parts.push(`(${fmtSeconds(s.ms)}, ${fmtCount(Math.round((s.examples * 1000) / Math.max(s.ms, 1)))} ex/s)`);
  return parts.join("  ");
}

/** Prints step lines for one-step-per-epoch runs; shared by the plain and terminal reporters. */
class StepLines {
  private info: RunInfo | null = null;
  private every = 1;

  begin(info: RunInfo): void {
    this.info = info;
    const todo = info.totalSteps - info.startStep;
    this.every = info.stepsPerEpoch === 1 && todo > 100 ? Math.ceil(todo / 20) : 1;
  }

  line(s: StepInfo, params: readonly Tensor[]): string | null {
    const info = this.info;
    if (!info || info.stepsPerEpoch !== 1) return null;
    if ((s.step - info.startStep) % this.every !== 0 && s.step !== info.totalSteps) return null;
    const word = info.stepMode ? "step" : "epoch";
    const width = String(info.totalSteps).length;
    const parts = [`${word} ${String(s.step).padStart(width)}/${info.totalSteps}`, `loss ${fmtNum(s.loss)}`];
    info.scalarParams?.forEach((name, i) => parts.push(`${name} ${params[i]![0]}`));
    return parts.join("  ");
  }
}

/** Which epochs get a summary line (see the file's opening comment). */
class EpochLines {
  /** Runs of at most this many epochs print every epoch. */
  static readonly ALL = 50;
  /** Longer runs print about this many, evenly spaced… */
  static readonly SPACED = 20;
  /** …and an epoch that ends this long after the last line. */
  static readonly QUIET_MS = 30_000;
  private first = 0;
  private last = 0;
  private every = 1;
  private printedAt = 0;
  constructor(private readonly now: () => number) {}

  begin(info: RunInfo): void {
    this.first = Math.floor(info.startStep / info.stepsPerEpoch) + 1;
    this.last = info.totalEpochs;
    const todo = this.last - this.first + 1;
    this.every = todo > EpochLines.ALL ? Math.ceil(todo / EpochLines.SPACED) : 1;
    this.printedAt = this.now();
  }

  shows(epoch: number): boolean {
    if (this.every === 1 || epoch === this.first || epoch === this.last) return true;
    return (epoch - this.first + 1) % this.every === 0 || this.now() - this.printedAt >= EpochLines.QUIET_MS;
  }

  printed(): void {
    this.printedAt = this.now();
  }
}

export class PlainReporter implements Reporter {
  private readonly steps = new StepLines();
  private readonly epochs: EpochLines;
  constructor(
    private readonly write: (s: string) => void = (s) => process.stdout.write(s),
    now: () => number = () => performance.now(),
  ) {
    this.epochs = new EpochLines(now);
  }
  begin(info: RunInfo): void {
    this.steps.begin(info);
    this.epochs.begin(info);
  }
  showsEpoch(epoch: number): boolean {
    return this.epochs.shows(epoch);
  }
  epochStart(): void {}
  step(s: StepInfo, params: readonly Tensor[]): void {
    const l = this.steps.line(s, params);
    if (l) this.write(l + "\n");
  }
  epochEnd(s: EpochSummary): void {
    this.write(epochLine(s) + "\n");
    this.epochs.printed();
  }
  line(text: string): void {
    this.write(text + "\n");
  }
  stop(): void {}
}

export class QuietReporter implements Reporter {
  constructor(private readonly write: (s: string) => void = (s) => process.stdout.write(s)) {}
  begin(): void {}
  showsEpoch(): boolean {
    return false;
  }
  epochStart(): void {}
  step(): void {}
  epochEnd(): void {}
  line(text: string): void {
    this.write(text + "\n");
  }
  stop(): void {}
}

/** A cli-progress bar per epoch on stderr; summaries and other lines on stdout. */
export class TerminalReporter implements Reporter {
  private readonly steps = new StepLines();
  private readonly epochs = new EpochLines(() => performance.now());
  private bar: cliProgress.SingleBar | null = null;
  private info: RunInfo | null = null;
  private started = 0;
  private examples = 0;
  private lossSum = 0;
  private lossRows = 0;

  begin(info: RunInfo): void {
    this.info = info;
    this.steps.begin(info);
    this.epochs.begin(info);
  }

  showsEpoch(epoch: number): boolean {
    return this.epochs.shows(epoch);
  }

  epochStart(epoch: number, firstBatch: number): void {
    const info = this.info;
    if (!info || info.stepsPerEpoch === 1) return;
    this.stop();
    this.bar = new cliProgress.SingleBar(
      {
        format: `epoch ${epoch + 1}/${info.totalEpochs} {bar} {value}/{total} batches | loss {loss} | {rate} ex/s | eta {eta_formatted}`,
        barsize: 30,
        hideCursor: true,
        clearOnComplete: true,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    this.started = performance.now();
    this.examples = 0;
    this.lossSum = 0;
    this.lossRows = 0;
    this.bar.start(info.stepsPerEpoch, firstBatch, { loss: "…", rate: "…" });
  }

  step(s: StepInfo, params: readonly Tensor[]): void {
    const l = this.steps.line(s, params);
    if (l) {
      this.line(l);
      return;
    }
    if (!this.bar) return;
    this.examples += s.batchSize;
    this.lossSum += s.loss * s.batchSize;
    this.lossRows += s.batchSize;
    const ms = performance.now() - this.started;
    this.bar.update(s.batch + 1, {
      loss: fmtNum(this.lossSum / this.lossRows),
      rate: fmtCount(Math.round((this.examples * 1000) / Math.max(ms, 1))),
    });
  }

  epochEnd(s: EpochSummary): void {
    this.stop();
    process.stdout.write(epochLine(s) + "\n");
    this.epochs.printed();
  }

  line(text: string): void {
    this.stop();
    process.stdout.write(text + "\n");
  }

  stop(): void {
    if (this.bar) {
      this.bar.stop();
      this.bar = null;
    }
  }
}

export function chooseReporter(quiet: boolean): Reporter {
  if (quiet) return new QuietReporter();
  return process.stdout.isTTY && process.stderr.isTTY ? new TerminalReporter() : new PlainReporter();
}
