// The `serve` commands of the try-out scripts run a set of servers for a caller (npm start, a
// jest suite) in a process of their own. They stop on SIGTERM / SIGINT, and also when the caller
// goes away (jest ending, a crash closes our stdin): nothing may outlive the one who started it.
export function stopOnSignalOrEndOfInput(stop) {
  let stopping;
  const shutdown = () => {
    stopping ??= stop().then(
      () => process.exit(0),
      (error) => {
        process.stderr.write(`${error.stack}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  process.stdin.on('end', shutdown);
  process.stdin.on('error', shutdown);
  process.stdin.resume();
}
