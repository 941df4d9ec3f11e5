// Learning-rate schedules. They are epoch-based: `epoch` is the number of epochs completed before
// the step (0 during the first epoch). A model trained without data, or full-batch, takes one
// step per epoch, so there the epoch is also the step count.
//   constant            lr
//   step(every, factor) lr · factor^floor(epoch / every)
//   exponential(rate)   lr · rate^epoch
import type { ScheduleSpec } from "../train-spec.ts";

export function scheduledLr(base: number, schedule: ScheduleSpec, epoch: number): number {
  switch (schedule.kind) {
    case "constant":
      return base;
    case "step":
      return base * Math.pow(schedule.factor, Math.floor(epoch / schedule.every));
    case "exponential":
      return base * Math.pow(schedule.rate, epoch);
  }
}
