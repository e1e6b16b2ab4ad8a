import { PlaidApiError } from '../errors';
import requestSchemas from '../openapi/request-schemas.json';
import type { Merchant } from './merchants';
import { ALBERTA, type DraftTransaction, type OwnerIdentity, type Persona, type PersonaAccount } from './personas';

/**
 * Plaid's `user_custom` Sandbox user: the password is a JSON configuration whose `override_accounts` describe the
 * Item's accounts (type, subtype, balances, name and mask, transactions, owners). The configuration is checked
 * when the user logs in (a bad one fails the login with INVALID_CREDENTIALS saying what is wrong), kept with the
 * Item as the canonical JSON of what the emulator uses, and turned into a persona whenever the Item's data is
 * generated. A configuration without accounts (`{}`) gives Sandbox's standard user_good data.
 */
export const CUSTOM_USERNAME = 'user_custom';

type Json = Record<string, unknown>;

interface CustomTransaction {
  date_posted: string;
  date_transacted: string;
  amount: number;
  description: string;
  currency?: string;
}

interface CustomAccount {
  type: PersonaAccount['type'];
  subtype: string;
  starting_balance: number;
  /** undefined: the type's usual available balance; null: none (has_null_available_balance). */
  available?: number | null;
  currency?: string;
  name?: string;
  official_name?: string;
  mask?: string;
  limit?: number;
  transactions: CustomTransaction[];
  identity?: Partial<OwnerIdentity>;
}

export interface CustomUserLogin {
  /** `force_error`: the Item is not created, with this error. */
  forceError: string | null;
  /** What the Item keeps (canonical JSON), or null when the configuration has no accounts (user_good's data). */
  stored: string | null;
}

const invalidConfig = (why: string): PlaidApiError =>
  new PlaidApiError(
    400,
    'ITEM_ERROR',
    'INVALID_CREDENTIALS',
    `the password of user_custom must be a JSON configuration object (see Plaid's custom Sandbox users): ${why}`,
    'The provided credentials were not correct. Please try again.',
  );

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const isIsoDate = (v: unknown): v is string =>
  typeof v === 'string' && ISO_DATE.test(v) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v);
const CURRENCY = /^[A-Z]{3}$/;
const MASK = /^$|^[A-Za-z0-9]{2,4}$/;

const OVERRIDE_TYPES = ['depository', 'credit', 'investment', 'loan', 'payroll', 'other'] as const;
/** Subtypes Plaid's spec allows per account type (its *AccountSubtype enums); payroll accounts are reported as `other`. */
const definitions = requestSchemas.definitions as Record<string, { enum?: unknown[] }>;
const subtypesOf = (schema: string): string[] =>
  (definitions[schema]?.enum ?? []).filter((s): s is string => typeof s === 'string' && s !== 'all');
const SUBTYPES: Record<(typeof OVERRIDE_TYPES)[number], string[]> = {
  depository: subtypesOf('DepositoryAccountSubtype'),
  credit: subtypesOf('CreditAccountSubtype'),
  investment: subtypesOf('InvestmentAccountSubtype'),
  loan: subtypesOf('LoanAccountSubtype'),
  payroll: ['payroll'],
  other: subtypesOf('OtherAccountSubtype'),
};
const DEFAULT_SUBTYPE: Record<(typeof OVERRIDE_TYPES)[number], string> = {
  depository: 'checking',
  credit: 'credit card',
  investment: 'brokerage',
  loan: 'loan',
  payroll: 'payroll',
  other: 'other',
};
const PHONE_TYPES = ['home', 'work', 'office', 'mobile', 'mobile1', 'other'];
const EMAIL_TYPES = ['primary', 'secondary', 'other'];

/** Reads a `user_custom` password: throws INVALID_CREDENTIALS (with the reason) for one that is not a configuration. */
export function readCustomUser(password: string): CustomUserLogin {
  let config: unknown;
  try {
    config = JSON.parse(password);
  } catch (error) {
    throw invalidConfig(`it is not valid JSON (${(error as Error).message})`);
  }
  if (!isObject(config)) throw invalidConfig('it is JSON but not an object');
  const forceError = config.force_error;
  if (forceError !== undefined && typeof forceError !== 'string') throw invalidConfig('force_error must be a string');
  const raw = config.override_accounts;
  if (raw !== undefined && !Array.isArray(raw)) throw invalidConfig('override_accounts must be an array');
  const accounts = (raw ?? []).map((a: unknown, i: number) => readAccount(a, `override_accounts[${i}]`));
  return {
    forceError: forceError ?? null,
    stored: accounts.length > 0 ? JSON.stringify({ override_accounts: accounts }) : null,
  };
}

function readAccount(value: unknown, at: string): CustomAccount {
  if (!isObject(value)) throw invalidConfig(`${at} must be an object`);
  const type = value.type;
  if (typeof type !== 'string' || !(OVERRIDE_TYPES as readonly string[]).includes(type))
    throw invalidConfig(`${at}.type must be one of: ${OVERRIDE_TYPES.join(', ')}`);
  const kind = type as (typeof OVERRIDE_TYPES)[number];
  const subtype = value.subtype ?? DEFAULT_SUBTYPE[kind];
  if (typeof subtype !== 'string' || !SUBTYPES[kind].includes(subtype))
    throw invalidConfig(`${at}.subtype must be one of the ${type} subtypes: ${SUBTYPES[kind].join(', ')}`);
  const account: CustomAccount = {
    type: kind === 'payroll' ? 'other' : kind,
    subtype,
    starting_balance: optionalNumber(value.starting_balance, `${at}.starting_balance`) ?? 0,
    transactions: [],
  };
  const forced = optionalNumber(value.force_available_balance, `${at}.force_available_balance`);
  if (value.has_null_available_balance !== undefined && typeof value.has_null_available_balance !== 'boolean')
    throw invalidConfig(`${at}.has_null_available_balance must be true or false`);
  if (forced !== undefined && value.has_null_available_balance === true)
    throw invalidConfig(`${at}: force_available_balance and has_null_available_balance cannot be set together`);
  if (forced !== undefined) account.available = forced;
  else if (value.has_null_available_balance === true) account.available = null;
  const currency = optionalCurrency(value.currency, `${at}.currency`);
  if (currency !== undefined && currency !== 'USD') account.currency = currency;
  if (value.meta !== undefined) {
    if (!isObject(value.meta)) throw invalidConfig(`${at}.meta must be an object`);
    const { name, official_name, mask, limit } = value.meta;
    if (name !== undefined) account.name = requiredString(name, `${at}.meta.name`);
    if (official_name !== undefined) account.official_name = requiredString(official_name, `${at}.meta.official_name`);
    if (mask !== undefined) {
      if (typeof mask !== 'string' || !MASK.test(mask))
        throw invalidConfig(`${at}.meta.mask must be empty or 2 to 4 letters or digits`);
      account.mask = mask;
    }
    const limitValue = optionalNumber(limit, `${at}.meta.limit`);
    if (limitValue !== undefined) account.limit = limitValue;
  }
  if (value.transactions !== undefined) {
    if (!Array.isArray(value.transactions)) throw invalidConfig(`${at}.transactions must be an array`);
    account.transactions = value.transactions.map((t: unknown, j: number) =>
      readTransaction(t, `${at}.transactions[${j}]`),
    );
  }
  if (value.identity !== undefined) account.identity = readIdentity(value.identity, `${at}.identity`);
  return account;
}

function readTransaction(value: unknown, at: string): CustomTransaction {
  if (!isObject(value)) throw invalidConfig(`${at} must be an object`);
  if (!isIsoDate(value.date_posted)) throw invalidConfig(`${at}.date_posted must be a date (YYYY-MM-DD)`);
  const transacted = value.date_transacted ?? value.date_posted;
  if (!isIsoDate(transacted)) throw invalidConfig(`${at}.date_transacted must be a date (YYYY-MM-DD)`);
  const amount = optionalNumber(value.amount, `${at}.amount`);
  if (amount === undefined) throw invalidConfig(`${at}.amount is required`);
  const transaction: CustomTransaction = {
    date_posted: value.date_posted,
    date_transacted: transacted,
    amount,
    description: requiredString(value.description, `${at}.description`),
  };
  const currency = optionalCurrency(value.currency, `${at}.currency`);
  if (currency !== undefined) transaction.currency = currency;
  return transaction;
}

function readIdentity(value: unknown, at: string): Partial<OwnerIdentity> {
  if (!isObject(value)) throw invalidConfig(`${at} must be an object`);
  const identity: Partial<OwnerIdentity> = {};
  if (value.names !== undefined) {
    identity.names = list(value.names, `${at}.names`).map((n, i) => requiredString(n, `${at}.names[${i}]`));
  }
  if (value.phone_numbers !== undefined) {
    identity.phone_numbers = list(value.phone_numbers, `${at}.phone_numbers`).map((p, i) => {
      const entry = contact(p, `${at}.phone_numbers[${i}]`, PHONE_TYPES);
      return { ...entry, type: entry.type as OwnerIdentity['phone_numbers'][number]['type'] };
    });
  }
  if (value.emails !== undefined) {
    identity.emails = list(value.emails, `${at}.emails`).map((e, i) => {
      const entry = contact(e, `${at}.emails[${i}]`, EMAIL_TYPES);
      return { ...entry, type: entry.type as OwnerIdentity['emails'][number]['type'] };
    });
  }
  if (value.addresses !== undefined) {
    identity.addresses = list(value.addresses, `${at}.addresses`).map((a, i) => {
      const where = `${at}.addresses[${i}]`;
      if (!isObject(a) || !isObject(a.data)) throw invalidConfig(`${where} must be an object with a data object`);
      const d = a.data;
      const part = (v: unknown, name: string) => (v === undefined || v === null ? null : requiredString(v, name));
      return {
        data: {
          street: requiredString(d.street, `${where}.data.street`),
          city: part(d.city, `${where}.data.city`),
          region: part(d.region, `${where}.data.region`),
          postal_code: part(d.postal_code, `${where}.data.postal_code`),
          country: part(d.country, `${where}.data.country`),
        },
        primary: optionalBoolean(a.primary, `${where}.primary`) ?? i === 0,
      };
    });
  }
  return identity;
}

function contact(value: unknown, at: string, types: string[]): { data: string; primary: boolean; type: string } {
  if (!isObject(value)) throw invalidConfig(`${at} must be an object`);
  const type = value.type ?? 'other';
  if (typeof type !== 'string' || !types.includes(type))
    throw invalidConfig(`${at}.type must be one of: ${types.join(', ')}`);
  return {
    data: requiredString(value.data, `${at}.data`),
    primary: optionalBoolean(value.primary, `${at}.primary`) ?? false,
    type,
  };
}

function list(value: unknown, at: string): unknown[] {
  if (!Array.isArray(value)) throw invalidConfig(`${at} must be an array`);
  return value;
}

function requiredString(value: unknown, at: string): string {
  if (typeof value !== 'string') throw invalidConfig(`${at} must be a string`);
  return value;
}

function optionalNumber(value: unknown, at: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalidConfig(`${at} must be a number`);
  return value;
}

function optionalBoolean(value: unknown, at: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw invalidConfig(`${at} must be true or false`);
  return value;
}

function optionalCurrency(value: unknown, at: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !CURRENCY.test(value))
    throw invalidConfig(`${at} must be an ISO-4217 currency code such as USD`);
  return value;
}

// ---- the persona of a stored configuration ------------------------------------------------------------

const personas = new Map<string, Persona>();

/** The persona of an Item made from `stored` (readCustomUser's), built once and kept for the last few configurations. */
export function customPersona(stored: string): Persona {
  let persona = personas.get(stored);
  if (!persona) {
    persona = buildPersona((JSON.parse(stored) as { override_accounts: CustomAccount[] }).override_accounts);
    personas.set(stored, persona);
    while (personas.size > 8) personas.delete(personas.keys().next().value as string);
  }
  return persona;
}

function buildPersona(accounts: CustomAccount[]): Persona {
  // "The same name data will be used for all accounts associated with an Item": the first names given.
  const names = accounts.find((a) => a.identity?.names !== undefined)?.identity?.names ?? ALBERTA.names;
  const owner: OwnerIdentity = { ...ALBERTA, names };
  return {
    username: CUSTOM_USERNAME,
    summary: 'A custom Sandbox user: the accounts of its JSON configuration.',
    owner,
    accounts: accounts.map((a, i) => personaAccount(a, i, owner)),
  };
}

function personaAccount(a: CustomAccount, index: number, owner: OwnerIdentity): PersonaAccount {
  const limit = a.limit ?? null;
  const usualAvailable =
    a.type === 'depository'
      ? a.starting_balance
      : a.type === 'credit' && limit !== null
        ? limit - a.starting_balance
        : null;
  const byDate = new Map<string, DraftTransaction[]>();
  for (const t of a.transactions) {
    const draft: DraftTransaction = {
      merchant: unresolved(t.amount, t.description),
      amount: t.amount,
      description: t.description,
    };
    if (t.date_transacted !== t.date_posted) draft.dateTransacted = t.date_transacted;
    if (t.currency !== undefined && t.currency !== (a.currency ?? 'USD')) draft.currency = t.currency;
    byDate.set(t.date_posted, [...(byDate.get(t.date_posted) ?? []), draft]);
  }
  const first = a.transactions.map((t) => t.date_posted).sort()[0];
  const account: PersonaAccount = {
    key: `custom-${index}`,
    name: a.name ?? `Plaid ${a.subtype.replace(/\b\w/g, (c) => c.toUpperCase())}`,
    official_name: a.official_name ?? null,
    mask: a.mask ?? (index < 10 ? String(index).repeat(4) : String(index).padStart(4, '0')),
    type: a.type,
    subtype: a.subtype,
    available: a.available === undefined ? usualAvailable : a.available,
    current: a.starting_balance,
    limit,
    // Without transactions the balance has been the same for as long as Sandbox's other accounts.
    ageDays: 800,
    owners: [
      {
        names: owner.names,
        addresses: a.identity?.addresses ?? owner.addresses,
        emails: a.identity?.emails ?? owner.emails,
        phone_numbers: a.identity?.phone_numbers ?? owner.phone_numbers,
      },
    ],
    activity: byDate.size > 0 ? [(day) => byDate.get(day.date) ?? []] : [],
  };
  if (first !== undefined) account.openedOn = first;
  if (a.currency !== undefined) account.currency = a.currency;
  return account;
}

/** A transaction of a custom user: its own description, enriched (with insights) as an unresolved transfer. */
function unresolved(amount: number, description: string): Merchant {
  const out = amount > 0;
  return {
    description,
    name: description,
    merchant_name: null,
    category: ['Transfer', out ? 'Debit' : 'Credit'],
    category_id: out ? '21006000' : '21005000',
    credit: out
      ? { primary: 'TRANSFER_OUT', detailed: 'TRANSFER_OUT_OTHER_TRANSFER_OUT' }
      : { primary: 'TRANSFER_IN', detailed: 'TRANSFER_IN_OTHER_TRANSFER_IN' },
    transaction_type: 'unresolved',
    min: amount,
    max: amount,
  };
}
