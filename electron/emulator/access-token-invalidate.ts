import { newAccessToken } from './ids';
import type { EmulatorStore, ItemRecord } from './store';

/**
 * `/item/access_token/invalidate`: Plaid's rotation of an Item's access token. The new token reaches the same
 * Item (its accounts, reports and Link update mode carry on); the old one answers INVALID_ACCESS_TOKEN from then
 * on, as at Plaid. AssetDesk calls it when a team member leaves, so tokens they could have copied are dead.
 */
export const ACCESS_TOKEN_ENDPOINTS = ['/item/access_token/invalidate'] as const;

export function itemAccessTokenInvalidate(
  deps: { store: EmulatorStore; requireItem: (accessToken: string) => ItemRecord },
  body: Record<string, unknown>,
): Record<string, unknown> {
  // requireItem answers INVALID_ACCESS_TOKEN for an unknown, malformed, removed or already rotated token.
  const item = deps.requireItem(String(body.access_token));
  const fresh = newAccessToken();
  deps.store.replaceAccessToken(item.item_id, fresh);
  return { new_access_token: fresh };
}
