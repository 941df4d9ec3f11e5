// `netc train … | head` closes stdout early: leave quietly (status 0, as Unix tools do) instead of
// dying with an EPIPE stack trace.
let installed = false;

export function exitQuietlyOnBrokenPipe(): void {
  if (installed) return;
  installed = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "EPIPE") process.exit(0);
      throw err;
    });
  }
}
