import { Cancelled } from './domain/stop-reason';
import { run } from './main';

// The CI cancels a job with SIGINT (GitHub, then SIGTERM ~7.5 s later) or SIGTERM (docker stop,
// Bitbucket, GitLab). The first signal aborts the wait; the step then stops the build once.
// Later signals are ignored so they cannot cut that short, nor send a second StopBuild.
const controller = new AbortController();
for (const name of ['SIGINT', 'SIGTERM'] as const) {
  process.on(name, () => {
    if (controller.signal.aborted) process.stdout.write(`Received ${name} again: already stopping.\n`);
    else controller.abort(new Cancelled(name));
  });
}

// Exit through exitCode, not process.exit(): pending log output is flushed first.
run({ env: process.env, argv: process.argv.slice(2), signal: controller.signal }).then(
  (code) => {
    process.exitCode = code;
    // Timers such as an unfinished HTTP keep-alive must not hold a finished step open.
    setTimeout(() => process.exit(code), 1_000).unref();
  },
  (error: unknown) => {
    process.stdout.write(`✖ Unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
