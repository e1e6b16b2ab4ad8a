import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { ErrorCodes } from '../../shared/errors';
import {
  channelNames,
  events,
  type Envelope,
  type EventName,
  type EventPayload,
  type EventSink,
} from '../../shared/ipc/contract';
import type { IpcDispatcher } from '../services/ipc-dispatcher';
import type { Logger } from '../log/logger';

/** What we know about the frame that sent an IPC message. */
export interface SenderFrame {
  url: string;
  isMainFrame: boolean;
}

/**
 * Only our own page, in its top frame, may call the main process: never a subframe (Plaid Link's
 * iframe, a bank page) and never another origin the window might have been navigated to.
 */
export function isTrustedSender(frame: SenderFrame | null, allowedOrigins: readonly string[]): boolean {
  if (!frame || !frame.isMainFrame) return false;
  let origin: string;
  try {
    const parsed = new URL(frame.url);
    // URL.origin is "null" for non-special schemes such as app:; rebuild it for those.
    origin = parsed.origin !== 'null' ? parsed.origin : `${parsed.protocol}//${parsed.host}`;
  } catch {
    return false;
  }
  return allowedOrigins.includes(origin);
}

/**
 * A frame with no parent is a top frame: asked of the frame itself rather than by comparing it
 * with `sender.mainFrame`, whose wrapper object need not be the same one Electron handed us.
 */
export function senderFrameOf(event: {
  senderFrame: Pick<NonNullable<IpcMainInvokeEvent['senderFrame']>, 'url' | 'parent'> | null;
}): SenderFrame | null {
  const frame = event.senderFrame;
  if (!frame) return null;
  return { url: frame.url, isMainFrame: frame.parent === null };
}

/** Registers every contract channel through one wrapper: sender check, then the dispatcher. */
export function registerIpcHandlers(
  ipcMain: Pick<IpcMain, 'handle'>,
  dispatcher: IpcDispatcher,
  options: {
    allowedOrigins: readonly string[];
    logger: Logger;
    /** Told after each call, before its answer goes back (e.g. Link finished: close its pop-ups). */
    afterCall?: (channel: string, result: Envelope<unknown>) => void | Promise<void>;
  },
): void {
  for (const channel of channelNames) {
    ipcMain.handle(channel, async (event, payload: unknown) => {
      if (!isTrustedSender(senderFrameOf(event), options.allowedOrigins)) {
        options.logger.warn('IPC from an untrusted frame rejected', { channel, url: event.senderFrame?.url ?? null });
        return {
          ok: false,
          error: {
            code: ErrorCodes.forbiddenSender,
            message: 'This window is not allowed to use AssetDesk.',
            retryable: false,
          },
        };
      }
      const result = await dispatcher.dispatch(channel, payload);
      await options.afterCall?.(channel, result);
      return result;
    });
  }
}

/**
 * Sends events to our page: only web contents whose top frame shows our own origin (the sender check's rule),
 * never a Link or bank pop-up, nor a window that was navigated elsewhere. Each payload is sent as its event's
 * schema parses it (nothing the contract does not name); one that fails is logged, without its content, and dropped.
 */
export function createWindowEventSink(
  windows: () => readonly Pick<WebContents, 'isDestroyed' | 'getURL' | 'send'>[],
  options: { allowedOrigins: readonly string[]; logger: Logger },
): EventSink {
  return {
    emit<E extends EventName>(event: E, payload: EventPayload<E>) {
      const parsed = events[event].safeParse(payload);
      if (!parsed.success) {
        const issues = parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), code: issue.code }));
        options.logger.error('event outside the contract not sent', { event, issues });
        return;
      }
      for (const contents of windows()) {
        if (contents.isDestroyed()) continue;
        if (!isTrustedSender({ url: contents.getURL(), isMainFrame: true }, options.allowedOrigins)) continue;
        contents.send(event, parsed.data);
      }
    },
  };
}
