import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { AppError, ErrorCodes } from '../../../shared/errors';
import type { ContractHandlers } from '../../../shared/ipc/contract';
import type { DesktopAdapters } from '../desktop';

/**
 * "Show in folder" after a save. The page never names a path: a save answers with an opaque receipt, and this
 * feature reveals only a file this session saved, by its receipt, in the OS file manager.
 */
export interface SavedFiles {
  /** Remembers a file or folder just written; answers its receipt for the page. */
  remember(path: string): string;
  pathOf(receipt: string): string | undefined;
}

// One list per set of services: keyed by the desktop they share, so savers and this feature need no new wiring.
const registries = new WeakMap<object, SavedFiles>();

/** The saved-files list of the services using `desktop`. */
export function savedFilesOf(desktop: object): SavedFiles {
  let registry = registries.get(desktop);
  if (!registry) {
    const paths = new Map<string, string>();
    registry = {
      remember(path) {
        const receipt = randomBytes(16).toString('base64url');
        paths.set(receipt, path);
        return receipt;
      },
      pathOf: (receipt) => paths.get(receipt),
    };
    registries.set(desktop, registry);
  }
  return registry;
}

export function createFileHandlers(
  desktop: Pick<DesktopAdapters, 'showInFolder'>,
): Pick<ContractHandlers, 'files:showInFolder'> {
  return {
    'files:showInFolder': async ({ receipt }) => {
      const path = savedFilesOf(desktop).pathOf(receipt);
      if (path === undefined) {
        throw new AppError({
          code: ErrorCodes.notFound,
          message:
            'AssetDesk can only show files it saved since it was opened. Open the folder from your file manager.',
          retryable: false,
        });
      }
      if (!existsSync(path)) {
        throw new AppError({
          code: ErrorCodes.notFound,
          message: `The saved file is no longer at ${path}: it was moved or deleted. Save it again to get a new copy.`,
          retryable: false,
        });
      }
      if (!desktop.showInFolder) {
        throw new AppError({
          code: ErrorCodes.internal,
          message: `This computer has no file manager AssetDesk can open. The file is at ${path}.`,
          retryable: false,
        });
      }
      desktop.showInFolder(path);
      return { ok: true as const };
    },
  };
}
