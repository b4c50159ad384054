/** Why the wait was cut short; carried as the AbortSignal's reason. */
export class Cancelled extends Error {
  constructor(readonly signalName: string) {
    super(`the CI job was cancelled (${signalName})`);
    this.name = 'Cancelled';
  }
}

export class WaitTimedOut extends Error {
  constructor(readonly minutes: number) {
    super(`gave up waiting after wait-timeout-minutes (${minutes})`);
    this.name = 'WaitTimedOut';
  }
}
