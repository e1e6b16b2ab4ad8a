/** The Plaid endpoints the emulator serves (all POST, JSON). */
export const PLAID_ENDPOINTS = [
  '/link/token/create',
  '/link/token/get',
  '/sandbox/public_token/create',
  '/item/public_token/exchange',
  '/item/get',
  '/accounts/get',
  '/item/remove',
  '/institutions/get_by_id',
  '/institutions/search',
  '/asset_report/create',
  '/asset_report/get',
  '/asset_report/pdf/get',
  '/asset_report/refresh',
  '/asset_report/filter',
  '/asset_report/remove',
  '/asset_report/audit_copy/create',
  '/asset_report/audit_copy/get',
  '/asset_report/audit_copy/pdf/get',
  '/asset_report/audit_copy/remove',
  '/webhook_verification_key/get',
  '/sandbox/item/reset_login',
  '/sandbox/item/fire_webhook',
] as const;

export type PlaidEndpoint = (typeof PLAID_ENDPOINTS)[number];
