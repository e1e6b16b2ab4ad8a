import { randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The Plaid customers the emulator knows: the owner (the app's credentials) and the auditors audit copies are
 * shared with (Fannie Mae, Freddie Mac, …), each a client with its own credentials. Entitlements say which
 * products and add-ons a client may use; by default everything is enabled.
 */
export interface Entitlements {
  /** The Assets product: /asset_report/create and link tokens asking for `assets`. */
  assets: boolean;
  /** The insights add-on: /asset_report/get with include_insights. */
  insights: boolean;
  /** The Fast Assets add-on (`add_ons: ["fast_assets"]`). */
  fast_assets: boolean;
}

export const ALL_ENTITLEMENTS: Entitlements = { assets: true, insights: true, fast_assets: true };

export interface ClientCredentials {
  clientId: string;
  secret: string;
}

export interface EmulatorClient extends ClientCredentials {
  /** Set for an auditor client: the `auditor_id` audit copies name it by. */
  auditorId: string | null;
  entitlements: Entitlements;
}

/** Auditors Plaid names; each gets generated credentials unless configured. */
export const DEFAULT_AUDITORS = ['fannie_mae', 'freddie_mac', 'ocrolus'] as const;
/** Accepted as `auditor_id` at audit copy creation (readable only by a configured auditor client). */
export const KNOWN_AUDITOR_IDS = new Set([
  'fannie_mae',
  'freddie_mac',
  'ocrolus',
  'fannie_mae_day1',
  'loanbeam',
  'certainly',
  'blend',
]);

const sameText = (a: string, b: string): boolean => {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
};

export const generatedCredentials = (): ClientCredentials => ({
  clientId: randomBytes(12).toString('hex'),
  secret: randomBytes(15).toString('hex'),
});

export class ClientRegistry {
  readonly owner: EmulatorClient;
  private readonly auditors = new Map<string, EmulatorClient>();
  private readonly startEntitlements: Entitlements;

  constructor(owner: ClientCredentials, auditors: Record<string, ClientCredentials>, entitlements: Entitlements) {
    this.startEntitlements = { ...entitlements };
    this.owner = { ...owner, auditorId: null, entitlements: { ...entitlements } };
    for (const [auditorId, credentials] of Object.entries(auditors))
      this.auditors.set(auditorId, { ...credentials, auditorId, entitlements: { ...ALL_ENTITLEMENTS } });
  }

  /** The client these credentials belong to, or null (compared in constant time). */
  authenticate(clientId: string, secret: string): EmulatorClient | null {
    for (const client of [this.owner, ...this.auditors.values()])
      if (sameText(client.clientId, clientId) && sameText(client.secret, secret)) return client;
    return null;
  }

  byClientId(clientId: string): EmulatorClient | null {
    return [this.owner, ...this.auditors.values()].find((c) => c.clientId === clientId) ?? null;
  }

  /** Configured auditor clients by auditor id (credentials for tests and the CLI to print). */
  auditorCredentials(): Record<string, ClientCredentials> {
    return Object.fromEntries([...this.auditors].map(([id, c]) => [id, { clientId: c.clientId, secret: c.secret }]));
  }

  /** Whether `client` may read an audit copy made for `auditorId`. */
  canReadAuditCopy(client: EmulatorClient, auditorId: string): boolean {
    return client.auditorId === auditorId || (client.auditorId === null && auditorId === client.clientId);
  }

  setEntitlements(clientId: string | null, change: Partial<Entitlements>): void {
    const client = clientId === null ? this.owner : this.byClientId(clientId);
    if (!client) throw new Error(`unknown client ${clientId}`);
    Object.assign(client.entitlements, change);
  }

  resetEntitlements(): void {
    this.owner.entitlements = { ...this.startEntitlements };
  }
}

/** Parses `assets,insights` style lists (CLI) into the entitlements left on. */
export function entitlementsWithout(disabled: readonly string[]): Entitlements {
  const out = { ...ALL_ENTITLEMENTS };
  for (const name of disabled) {
    if (!(name in out)) throw new Error(`unknown product or add-on ${name} (use assets, insights or fast_assets)`);
    out[name as keyof Entitlements] = false;
  }
  return out;
}
