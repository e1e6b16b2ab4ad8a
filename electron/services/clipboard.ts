import type { ContractHandlers } from '../../shared/ipc/contract';
import type { DesktopAdapters } from './desktop';

/** The clipboard feature: the page asks, the main process writes (and waits for the write). */
export function createClipboardHandlers(
  desktop: Pick<DesktopAdapters, 'writeClipboard'>,
): Pick<ContractHandlers, 'clipboard:writeText'> {
  return {
    'clipboard:writeText': async ({ text }) => {
      await desktop.writeClipboard(text);
      return { ok: true as const };
    },
  };
}
