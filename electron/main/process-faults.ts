import type { Logger } from '../log/logger';

/**
 * Last-resort handlers: an error nobody caught is logged and the app carries on. A handler that throws
 * makes Node exit, so a logger that fails here (full disk, closed stderr, a throwing serializer) is ignored.
 */
export function installProcessFaultHandlers(target: Pick<NodeJS.Process, 'on'>, logger: Pick<Logger, 'error'>): void {
  const report = (what: string) => (error: unknown) => {
    try {
      logger.error(what, { error });
    } catch {
      // nothing is left to report to; staying alive matters more
    }
  };
  target.on('uncaughtException', report('uncaught exception'));
  target.on('unhandledRejection', report('unhandled rejection'));
}
