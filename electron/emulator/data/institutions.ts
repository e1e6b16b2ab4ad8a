/** Plaid Sandbox's test institutions, with the ids and names Sandbox uses. */
export type InstitutionHealth = 'HEALTHY' | 'DEGRADED' | 'DOWN';

export interface SandboxInstitution {
  institution_id: string;
  name: string;
  country_codes: string[];
  oauth: boolean;
  health: InstitutionHealth;
  routing_numbers: string[];
  primary_color: string;
  /** Link refuses logins here with INSTITUTION_NO_LONGER_SUPPORTED. */
  unsupported?: boolean;
}

const US_PRODUCTS = ['assets', 'auth', 'balance', 'identity', 'investments', 'liabilities', 'transactions'];

const bank = (institution_id: string, name: string, extra: Partial<SandboxInstitution> = {}): SandboxInstitution => ({
  institution_id,
  name,
  country_codes: ['US'],
  oauth: false,
  health: 'HEALTHY',
  routing_numbers: ['011401533'],
  primary_color: '#1f1f1f',
  ...extra,
});

export const SANDBOX_INSTITUTIONS: readonly SandboxInstitution[] = [
  bank('ins_109508', 'First Platypus Bank', { routing_numbers: ['110000000'] }),
  bank('ins_130016', 'First Platypus Balance Bank'),
  bank('ins_109509', 'First Gingham Credit Union', { primary_color: '#3a7d44' }),
  bank('ins_109510', 'Tattersall Federal Credit Union', { primary_color: '#5b2a86' }),
  bank('ins_109511', 'Tartan Bank', { primary_color: '#a4161a' }),
  bank('ins_109512', 'Houndstooth Bank', {
    routing_numbers: ['011000138', '011200365', '011400495'],
    primary_color: '#004966',
  }),
  bank('ins_43', 'Tartan-Dominion Bank of Canada', { country_codes: ['CA'], primary_color: '#0b3c5d' }),
  bank('ins_116834', 'Flexible Platypus Open Banking', { country_codes: ['GB'], oauth: true, routing_numbers: [] }),
  bank('ins_117650', 'Royal Bank of Plaid', { country_codes: ['GB'], oauth: true, routing_numbers: [] }),
  bank('ins_127287', 'Platypus OAuth Bank', { oauth: true }),
  bank('ins_132241', 'First Platypus OAuth App2App Bank', { oauth: true }),
  bank('ins_117181', 'Flexible Platypus Open Banking (QR)', {
    country_codes: ['GB', 'ES', 'NL', 'FR', 'IE', 'DE'],
    oauth: true,
    routing_numbers: [],
  }),
  bank('ins_135858', 'Windowpane Bank'),
  bank('ins_132363', 'Unhealthy Platypus Bank - Degraded', { health: 'DEGRADED' }),
  bank('ins_132361', 'Unhealthy Platypus Bank - Down', { health: 'DOWN' }),
  bank('ins_133402', 'Unsupported Platypus Bank - Institution Not Supported', { unsupported: true }),
];

export const DEFAULT_INSTITUTION_ID = 'ins_109508';

export function findInstitution(id: string): SandboxInstitution | undefined {
  return SANDBOX_INSTITUTIONS.find((i) => i.institution_id === id);
}

export function institutionProducts(institution: SandboxInstitution): string[] {
  return institution.country_codes.includes('US')
    ? [...US_PRODUCTS]
    : ['assets', 'auth', 'balance', 'identity', 'transactions'];
}

/** Case-insensitive match on every word of the query, as Link's search box behaves. */
export function searchInstitutions(query: string, countryCodes?: readonly string[]): SandboxInstitution[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return SANDBOX_INSTITUTIONS.filter(
    (i) =>
      words.every((w) => i.name.toLowerCase().includes(w)) &&
      (!countryCodes || countryCodes.length === 0 || i.country_codes.some((c) => countryCodes.includes(c))),
  );
}

/** The `institution` object of /institutions/get_by_id and /institutions/search. */
export function institutionJson(
  institution: SandboxInstitution,
  options: { include_optional_metadata?: boolean | null; include_status?: boolean | null } = {},
  now: Date = new Date(),
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    institution_id: institution.institution_id,
    name: institution.name,
    products: institutionProducts(institution),
    country_codes: institution.country_codes,
    routing_numbers: institution.routing_numbers,
    dtc_numbers: [],
    oauth: institution.oauth,
  };
  if (options.include_optional_metadata) {
    out.url = 'https://plaid.com';
    out.primary_color = institution.primary_color;
    out.logo = null;
  }
  if (options.include_status) {
    const status = institution.health;
    const breakdown =
      status === 'HEALTHY'
        ? { success: 0.99, error_plaid: 0.01, error_institution: 0, refresh_interval: 'NORMAL' }
        : status === 'DEGRADED'
          ? { success: 0.62, error_plaid: 0.03, error_institution: 0.35, refresh_interval: 'DELAYED' }
          : { success: 0, error_plaid: 0, error_institution: 1, refresh_interval: 'STOPPED' };
    const productStatus = {
      status,
      last_status_change: new Date(now.getTime() - 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      breakdown,
    };
    out.status = {
      item_logins: productStatus,
      transactions_updates: productStatus,
      auth: productStatus,
      identity: productStatus,
      investments_updates: productStatus,
      liabilities_updates: productStatus,
      liabilities: productStatus,
      investments: productStatus,
    };
  }
  return out;
}
