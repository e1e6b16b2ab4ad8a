import { AppError } from '../../../shared/errors';
import {
  channelNames,
  methodName,
  type AssetDeskApi,
  type Channel,
  type Envelope,
  type WindowApi,
} from '../../../shared/ipc/contract';

/** Unwraps the window API's envelopes: a failed call throws AppError with the officer's message. */
export function createApiClient(windowApi: WindowApi): AssetDeskApi {
  const client: Record<string, unknown> = {
    on: windowApi.on.bind(windowApi),
  };
  for (const channel of channelNames) {
    const name = methodName(channel);
    const call = (windowApi as unknown as Record<string, (req: unknown) => Promise<Envelope<unknown>>>)[name];
    client[name] = async (request: unknown) => {
      if (!call)
        throw new AppError({
          code: 'UNKNOWN_CHANNEL',
          message: `The app has no ${channel} function.`,
          retryable: false,
        });
      const envelope = await call(request ?? {});
      if (envelope.ok) return envelope.value;
      throw AppError.from(envelope.error);
    };
  }
  return client as unknown as AssetDeskApi;
}

export type { AssetDeskApi, Channel };
