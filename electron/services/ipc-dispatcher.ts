import { AppError, ErrorCodes, isAppErrorShape, type AppErrorShape } from '../../shared/errors';
import { contract, type Channel, type ContractHandlers, type Envelope } from '../../shared/ipc/contract';
import { isChannel, parseRequest } from '../../shared/ipc/validation';
import type { Logger } from '../log/logger';

/**
 * The single path from a transport (Electron IPC or the web bridge) to a service: unknown
 * channel → error, payload validated against the contract before any service runs, response
 * checked against the contract, and every failure turned into the one error shape.
 * Transports do their own caller checks (sender frame, bridge token) before calling dispatch.
 */
export interface IpcDispatcher {
  dispatch(channel: string, payload: unknown): Promise<Envelope<unknown>>;
}

export function toErrorShape(error: unknown): AppErrorShape {
  if (error instanceof AppError) return error.toShape();
  if (isAppErrorShape(error)) return { code: error.code, message: error.message, retryable: error.retryable };
  return {
    code: ErrorCodes.internal,
    message: 'Something went wrong inside AssetDesk. Try again; if it keeps happening, send the log file to support.',
    retryable: true,
  };
}

export function createIpcDispatcher(handlers: ContractHandlers, logger: Logger): IpcDispatcher {
  return {
    async dispatch(channel, payload) {
      try {
        if (!isChannel(channel)) {
          throw new AppError({
            code: ErrorCodes.unknownChannel,
            message: `Unknown request "${channel.slice(0, 60)}".`,
            retryable: false,
          });
        }
        const request = parseRequest(channel, payload);
        const handler = handlers[channel] as (req: unknown) => Promise<unknown>;
        const value = await handler(request);
        const checked = contract[channel as Channel].response.safeParse(value);
        if (!checked.success) {
          logger.error('handler answered outside the contract', { channel, issues: checked.error.issues.slice(0, 3) });
          throw new AppError({
            code: ErrorCodes.internal,
            message: 'AssetDesk produced an unexpected answer. Try again.',
            retryable: true,
          });
        }
        return { ok: true, value: checked.data };
      } catch (error) {
        const shape = toErrorShape(error);
        if (shape.code === ErrorCodes.internal) logger.error('request failed', { channel, error });
        else logger.info('request refused', { channel, code: shape.code, field: shape.field });
        return { ok: false, error: shape };
      }
    },
  };
}
