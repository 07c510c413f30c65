/**
 * Counts what would crash a Node process: unhandled promise rejections and uncaught exceptions.
 * While installed they are recorded instead of ending the process, so a soak can report them
 * all and go on.
 */

export interface CrashWatch {
  readonly count: number;
  /** First line of each, at most `keep` of them. */
  readonly messages: readonly string[];
  uninstall(): void;
}

export function installCrashWatch(proc: NodeJS.Process = process, keep = 20): CrashWatch {
  let count = 0;
  const messages: string[] = [];
  const record = (kind: string) => (reason: unknown) => {
    count++;
    if (messages.length < keep) {
      const text = reason instanceof Error ? (reason.stack ?? reason.message) : String(reason);
      messages.push(`${kind}: ${text.split('\n').slice(0, 3).join(' | ')}`);
    }
  };
  const onRejection = record('unhandledRejection');
  const onException = record('uncaughtException');
  proc.on('unhandledRejection', onRejection);
  proc.on('uncaughtException', onException);
  return {
    get count() {
      return count;
    },
    messages,
    uninstall() {
      proc.off('unhandledRejection', onRejection);
      proc.off('uncaughtException', onException);
    },
  };
}
