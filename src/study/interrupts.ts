/**
 * SIGINT and SIGTERM (Ctrl-C, `kill`, a cluster's preemption) caught while a phase of a run goes on, so that
 * the phase stops at a safe point with one line saying what is kept, instead of Node's default exit.
 */

/** A phase's watch for interrupts. */
export interface Interrupts {
  /** Aborted at the first interrupt, with the signal's name as its reason. */
  readonly signal: AbortSignal;
  /** Stops watching: later interrupts get Node's default handling again. */
  release(): void;
}

/** Watches for SIGINT and SIGTERM until released. */
export function watchInterrupts(): Interrupts {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals): void => controller.abort(name);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    release() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
