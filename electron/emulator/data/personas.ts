import { EVERYDAY_SPENDING, BUSINESS_SPENDING, Merchants, type Merchant } from './merchants';

/**
 * Sandbox users the emulator knows, selected by the Link / public_token username. Each is a bank customer a
 * loan officer may meet (documented in electron/emulator/README.md). Activity is described per account as
 * rules evaluated day by day, so any length of history comes out the same for the same Item.
 */
export interface OwnerIdentity {
  names: string[];
  addresses: {
    data: {
      street: string;
      city: string | null;
      region: string | null;
      postal_code: string | null;
      country: string | null;
    };
    primary: boolean;
  }[];
  emails: { data: string; primary: boolean; type: 'primary' | 'secondary' | 'other' }[];
  phone_numbers: {
    data: string;
    primary: boolean;
    type: 'home' | 'work' | 'office' | 'mobile' | 'mobile1' | 'other';
  }[];
}

export interface DayContext {
  /** 0 = the report's own day, 1 = yesterday, … */
  daysAgo: number;
  /** UTC calendar date, YYYY-MM-DD. */
  date: string;
  /** Days since 1970-01-01 (UTC); calendar rules hang off it so the same day always looks the same. */
  ordinal: number;
  dayOfMonth: number;
  /** 0 = Sunday. */
  weekday: number;
  random: () => number;
}

export interface DraftTransaction {
  merchant: Merchant;
  /** Dollars; positive = money leaves the account (Plaid's sign). */
  amount: number;
  /** Replaces `{ref}` in the merchant's description. */
  reference?: string;
  /** The raw description as given (custom users), instead of the merchant's. */
  description?: string;
  /** When it was made, if not the day it posted (YYYY-MM-DD). */
  dateTransacted?: string;
  /** ISO-4217 code, if not the account's. */
  currency?: string;
}

export type Activity = (day: DayContext) => DraftTransaction[];

export interface PersonaAccount {
  key: string;
  name: string;
  official_name: string | null;
  mask: string;
  type: 'depository' | 'credit' | 'investment' | 'loan' | 'other';
  subtype: string;
  available: number | null;
  current: number;
  limit: number | null;
  /** Account age in days; history and days_available never go further back. */
  ageDays: number;
  /** The account's first day (YYYY-MM-DD), when its age is counted from a date rather than from each report. */
  openedOn?: string;
  /** ISO-4217 code of its balances and transactions (default USD). */
  currency?: string;
  owners?: OwnerIdentity[];
  activity: Activity[];
  /** Set the current balance so that the end-of-day balance `daysAgo` days back equals `balance`. */
  anchor?: { daysAgo: number; balance: number };
}

export interface Persona {
  username: string;
  summary: string;
  owner: OwnerIdentity;
  accounts: PersonaAccount[];
  /** How this customer's bank behaves while an Asset Report is generated (the partial-report personas). */
  generation?: {
    /** The bank fails during generation with this Item error code. */
    failsWith?: string;
    /** The bank does not share account owners: owners come back empty, with an OWNERS_UNAVAILABLE warning. */
    ownersUnavailable?: boolean;
  };
}

export const ALBERTA: OwnerIdentity = {
  names: ['Alberta Bobbeth Charleson'],
  addresses: [
    {
      data: { street: '2992 Cameron Road', city: 'Malakoff', region: 'NY', postal_code: '14236', country: 'US' },
      primary: true,
    },
    {
      data: { street: '2493 Leisure Lane', city: 'San Matias', region: 'CA', postal_code: '93405-2255', country: 'US' },
      primary: false,
    },
  ],
  emails: [
    { data: 'accountholder0@example.com', primary: true, type: 'primary' },
    { data: 'accountholder1@example.com', primary: false, type: 'secondary' },
    { data: 'extraordinarily.long.email.username.123456@reallylonghostname.com', primary: false, type: 'other' },
  ],
  phone_numbers: [
    { data: '+1 111-555-3333', primary: false, type: 'home' },
    { data: '+1 111-555-4444', primary: false, type: 'work' },
    { data: '+1 111-555-5555', primary: false, type: 'mobile' },
  ],
};

const JOINT_OWNERS: OwnerIdentity = {
  names: ['John Michael Smith', 'Jane Alana Smith'],
  addresses: [
    {
      data: { street: '421 Greenwich St', city: 'New York', region: 'NY', postal_code: '10013', country: 'US' },
      primary: true,
    },
  ],
  emails: [
    { data: 'jm_smith@plaid.com', primary: true, type: 'primary' },
    { data: 'jane_smith@plaid.com', primary: false, type: 'secondary' },
  ],
  phone_numbers: [
    { data: '+1 212-555-0142', primary: true, type: 'mobile' },
    { data: '+1 212-555-0177', primary: false, type: 'mobile' },
  ],
};

const ROBERT_PUBLIC: OwnerIdentity = {
  names: ['Robert Q Public'],
  addresses: [
    {
      data: { street: '1200 Harbor Boulevard', city: 'Weehawken', region: 'NJ', postal_code: '07086', country: 'US' },
      primary: true,
    },
  ],
  emails: [{ data: 'rqpublic@example.com', primary: true, type: 'primary' }],
  phone_numbers: [{ data: '+1 201-555-0148', primary: true, type: 'mobile' }],
};

// ---- calendar rules -------------------------------------------------------------------------------------

const DAY_MS = 86_400_000;
const ordinalOf = (y: number, mIndex: number, d: number): number => Date.UTC(y, mIndex, d) / DAY_MS;

/** The business day on or before the given calendar day (payroll moves back over weekends). */
function businessDayOnOrBefore(ordinal: number): number {
  const weekday = (ordinal + 4) % 7; // 1970-01-01 was a Thursday
  if (weekday === 6) return ordinal - 1;
  if (weekday === 0) return ordinal - 2;
  return ordinal;
}

/** Paid on the 1st and 15th, or the business day before when those fall on a weekend. */
export function isSemiMonthlyPayday(day: DayContext): boolean {
  const date = new Date(day.ordinal * DAY_MS);
  const y = date.getUTCFullYear();
  const mi = date.getUTCMonth();
  return [ordinalOf(y, mi, 1), ordinalOf(y, mi, 15), ordinalOf(y, mi + 1, 1)].some(
    (o) => businessDayOnOrBefore(o) === day.ordinal,
  );
}

/** Every other Friday. */
const isBiweeklyFriday = (day: DayContext): boolean => ((day.ordinal % 14) + 14) % 14 === 8;

const onDayOfMonth = (day: DayContext, dom: number): boolean => {
  const date = new Date(day.ordinal * DAY_MS);
  const last = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  return day.dayOfMonth === Math.min(dom, last);
};

const cents = (dollars: number): number => Math.round(dollars * 100) / 100;
const between = (random: () => number, min: number, max: number): number => cents(min + random() * (max - min));
const storeNumber = (random: () => number): string => String(1000 + Math.floor(random() * 8999));

// ---- activity building blocks ---------------------------------------------------------------------------

const semiMonthlyPayroll =
  (merchant: Merchant, netPay: number): Activity =>
  (day) =>
    isSemiMonthlyPayday(day) ? [{ merchant, amount: -netPay }] : [];

const biweeklyPayroll =
  (merchant: Merchant, netPay: number): Activity =>
  (day) =>
    isBiweeklyFriday(day) ? [{ merchant, amount: -netPay }] : [];

const monthly =
  (dom: number, merchant: Merchant, amount?: number, reference?: string): Activity =>
  (day) =>
    onDayOfMonth(day, dom)
      ? [
          {
            merchant,
            amount: amount ?? between(day.random, merchant.min, merchant.max),
            ...(reference ? { reference } : {}),
          },
        ]
      : [];

/** About `perDay` purchases a day drawn from `merchants`, amounts within each merchant's usual range. */
const spending =
  (perDay: number, merchants: readonly Merchant[], scale = 1): Activity =>
  (day) => {
    const count = Math.floor(day.random() * (2 * perDay + 1));
    const out: DraftTransaction[] = [];
    for (let i = 0; i < count; i += 1) {
      const merchant = merchants[Math.floor(day.random() * merchants.length)] ?? Merchants.coffee;
      out.push({
        merchant,
        amount: between(day.random, merchant.min * scale, merchant.max * scale),
        reference: storeNumber(day.random),
      });
    }
    return out;
  };

const oneOff =
  (daysAgo: number, merchant: Merchant, amount: number, reference?: string): Activity =>
  (day) =>
    day.daysAgo === daysAgo ? [{ merchant, amount, ...(reference ? { reference } : {}) }] : [];

/** Both legs of a transfer between the customer's own accounts, posted the same day. */
function transferPair(
  days: number[],
  amount: number,
  fromMask: string,
  toMask: string,
): { out: Activity; in: Activity } {
  const when = (day: DayContext) => days.some((d) => onDayOfMonth(day, d));
  return {
    out: (day) => (when(day) ? [{ merchant: Merchants.transferToSavings, amount, reference: toMask }] : []),
    in: (day) =>
      when(day) ? [{ merchant: Merchants.transferFromChecking, amount: -amount, reference: fromMask }] : [],
  };
}

/** Sandbox's ~30-day cycle for user_good, keyed by position in the cycle. */
function sandboxCycle(entries: [number, Merchant][]): Activity {
  return (day) => {
    const position = ((day.ordinal % 30) + 30) % 30;
    return entries
      .filter(([offset]) => (30 + offset) % 30 === position)
      .map(([, merchant]) => ({ merchant, amount: merchant.min }));
  };
}

const TWO_YEARS_PLUS = 800;

const account = (
  a: Omit<PersonaAccount, 'ageDays' | 'activity'> & Partial<Pick<PersonaAccount, 'ageDays' | 'activity'>>,
): PersonaAccount => ({
  ageDays: TWO_YEARS_PLUS,
  activity: [],
  ...a,
});

// ---- the personas ---------------------------------------------------------------------------------------

function userGood(): Persona {
  return {
    username: 'user_good',
    summary: "Plaid Sandbox's standard test user: 12 'Plaid …' accounts and the Sandbox monthly transaction cycle.",
    owner: ALBERTA,
    accounts: [
      account({
        key: 'checking',
        name: 'Plaid Checking',
        official_name: 'Plaid Gold Standard 0% Interest Checking',
        mask: '0000',
        type: 'depository',
        subtype: 'checking',
        available: 100,
        current: 110,
        limit: null,
        activity: [
          sandboxCycle([
            [0, Merchants.uberPool],
            [-2, Merchants.unitedRefund],
            [-3, Merchants.mcdonalds],
            [-3, Merchants.starbucks],
            [-4, Merchants.sparkfun],
            [-17, Merchants.uberPool2],
          ]),
        ],
      }),
      account({
        key: 'savings',
        name: 'Plaid Saving',
        official_name: 'Plaid Silver Standard 0.1% Interest Saving',
        mask: '1111',
        type: 'depository',
        subtype: 'savings',
        available: 200,
        current: 210,
        limit: null,
        activity: [
          sandboxCycle([
            [0, Merchants.creditCardPayment],
            [-5, Merchants.interestPayment],
          ]),
        ],
      }),
      account({
        key: 'cd',
        name: 'Plaid CD',
        official_name: 'Plaid Bronze Standard 0.2% Interest CD',
        mask: '2222',
        type: 'depository',
        subtype: 'cd',
        available: null,
        current: 1000,
        limit: null,
        activity: [sandboxCycle([[-1, Merchants.cdDeposit]])],
      }),
      account({
        key: 'credit',
        name: 'Plaid Credit Card',
        official_name: 'Plaid Diamond 12.5% APR Interest Credit Card',
        mask: '3333',
        type: 'credit',
        subtype: 'credit card',
        available: null,
        current: 410,
        limit: 2000,
        activity: [
          sandboxCycle([
            [-2, Merchants.touchstone],
            [-15, Merchants.united],
            [-20, Merchants.tectra],
            [-21, Merchants.automaticPayment],
            [-21, Merchants.kfc],
            [-21, Merchants.madisonBicycle],
          ]),
        ],
      }),
      account({
        key: 'money_market',
        name: 'Plaid Money Market',
        official_name: 'Plaid Platinum Standard 1.85% Interest Money Market',
        mask: '4444',
        type: 'depository',
        subtype: 'money market',
        available: 43200,
        current: 43200,
        limit: null,
        activity: [sandboxCycle([[-1, Merchants.gustoPay]])],
      }),
      account({
        key: 'ira',
        name: 'Plaid IRA',
        official_name: null,
        mask: '5555',
        type: 'investment',
        subtype: 'ira',
        available: null,
        current: 320.76,
        limit: null,
      }),
      account({
        key: '401k',
        name: 'Plaid 401k',
        official_name: null,
        mask: '6666',
        type: 'investment',
        subtype: '401k',
        available: null,
        current: 23631.9805,
        limit: null,
      }),
      account({
        key: 'student',
        name: 'Plaid Student Loan',
        official_name: null,
        mask: '7777',
        type: 'loan',
        subtype: 'student',
        available: null,
        current: 65262,
        limit: null,
      }),
      account({
        key: 'mortgage',
        name: 'Plaid Mortgage',
        official_name: null,
        mask: '8888',
        type: 'loan',
        subtype: 'mortgage',
        available: null,
        current: 56302.06,
        limit: null,
      }),
      account({
        key: 'hsa',
        name: 'Plaid HSA',
        official_name: 'Plaid Cares Health Savings Account',
        mask: '9001',
        type: 'depository',
        subtype: 'hsa',
        available: 6009,
        current: 6009,
        limit: null,
      }),
      account({
        key: 'cash_management',
        name: 'Plaid Cash Management',
        official_name: 'Plaid Growth Cash Management',
        mask: '9002',
        type: 'depository',
        subtype: 'cash management',
        available: 12060,
        current: 12060,
        limit: null,
      }),
      account({
        key: 'business_credit',
        name: 'Plaid Business Credit Card',
        official_name: 'Plaid Platinum Small Business Credit Card',
        mask: '9999',
        type: 'credit',
        subtype: 'credit card',
        available: 4980,
        current: 5020,
        limit: 10000,
      }),
    ],
  };
}

/** Checking + savings of a salaried saver; `extra` adds persona-specific events to checking. */
function payrollHousehold(
  username: string,
  summary: string,
  owner: OwnerIdentity,
  extra: Activity[] = [],
  balances = { checking: 4268.19, savings: 38412.57 },
): Persona {
  const toSavings = transferPair([2, 16], 500, '0000', '1111');
  return {
    username,
    summary,
    owner,
    accounts: [
      account({
        key: 'checking',
        name: 'Plaid Checking',
        official_name: 'Plaid Gold Standard 0% Interest Checking',
        mask: '0000',
        type: 'depository',
        subtype: 'checking',
        available: balances.checking,
        current: balances.checking,
        limit: null,
        activity: [
          semiMonthlyPayroll(Merchants.payroll, 2450),
          monthly(1, Merchants.rent, 1650),
          monthly(6, Merchants.electric),
          monthly(11, Merchants.phone, 85),
          monthly(20, Merchants.autoInsurance, 126.4),
          monthly(9, Merchants.netflix, 15.49),
          monthly(4, Merchants.gym, 49.99),
          toSavings.out,
          spending(1.2, EVERYDAY_SPENDING, 0.85),
          ...extra,
        ],
      }),
      account({
        key: 'savings',
        name: 'Plaid Saving',
        official_name: 'Plaid Silver Standard 0.1% Interest Saving',
        mask: '1111',
        type: 'depository',
        subtype: 'savings',
        available: balances.savings,
        current: balances.savings,
        limit: null,
        activity: [toSavings.in, monthly(28, Merchants.savingsInterest, -3.12)],
      }),
    ],
  };
}

function userNsf(): Persona {
  return {
    username: 'user_nsf',
    summary: 'Thin margins: NSF and overdraft fees in the last 60 days, one NSF fee reversed by the bank.',
    owner: ALBERTA,
    accounts: [
      account({
        key: 'checking',
        name: 'Plaid Checking',
        official_name: 'Plaid Gold Standard 0% Interest Checking',
        mask: '0000',
        type: 'depository',
        subtype: 'checking',
        available: 0,
        current: 0,
        limit: null,
        anchor: { daysAgo: 33, balance: -61.37 },
        activity: [
          biweeklyPayroll(Merchants.payrollStaffing, 1180),
          monthly(1, Merchants.rent, 1325),
          monthly(11, Merchants.phone, 85),
          monthly(20, Merchants.autoInsurance, 126.4),
          spending(0.8, EVERYDAY_SPENDING, 0.8),
          oneOff(52, Merchants.returnedItem, 0, undefined),
          oneOff(52, Merchants.nsfFee, 34),
          oneOff(33, Merchants.overdraftFee, 34),
          oneOff(19, Merchants.nsfFee, 34),
          oneOff(17, Merchants.nsfReversal, -34),
        ].map((a) => (day: DayContext) => a(day).filter((t) => t.amount !== 0)),
      }),
    ],
  };
}

function userJoint(): Persona {
  const toSavings = transferPair([3, 17], 750, '0000', '1111');
  return {
    username: 'user_joint',
    summary: 'Married couple: joint checking and savings, both names in one owner object, two payrolls.',
    owner: JOINT_OWNERS,
    accounts: [
      account({
        key: 'checking',
        name: 'Joint Checking',
        official_name: 'Plaid Joint Checking Account',
        mask: '0000',
        type: 'depository',
        subtype: 'checking',
        available: 6002.31,
        current: 6002.31,
        limit: null,
        activity: [
          semiMonthlyPayroll(Merchants.payroll, 2450),
          biweeklyPayroll(Merchants.payrollNorthwind, 1985),
          monthly(1, Merchants.rent, 2900),
          monthly(6, Merchants.electric),
          monthly(11, Merchants.phone, 140),
          toSavings.out,
          spending(2.7, EVERYDAY_SPENDING),
        ],
      }),
      account({
        key: 'savings',
        name: 'Joint Savings',
        official_name: 'Plaid Joint Savings Account',
        mask: '1111',
        type: 'depository',
        subtype: 'savings',
        available: 52310.4,
        current: 52310.4,
        limit: null,
        activity: [toSavings.in, monthly(28, Merchants.savingsInterest, -4.35)],
      }),
    ],
  };
}

function userShortHistory(): Persona {
  return {
    username: 'user_short_history',
    summary: 'New customer: checking opened 40 days ago (days_available 40), opening deposit then payroll.',
    owner: ALBERTA,
    accounts: [
      account({
        key: 'checking',
        name: 'Plaid Checking',
        official_name: 'Plaid Gold Standard 0% Interest Checking',
        mask: '0000',
        type: 'depository',
        subtype: 'checking',
        available: 0,
        current: 0,
        limit: null,
        ageDays: 40,
        anchor: { daysAgo: 41, balance: 0 },
        activity: [
          oneOff(40, Merchants.openingDeposit, -2500, '0412'),
          semiMonthlyPayroll(Merchants.payroll, 2450),
          monthly(1, Merchants.rent, 1650),
          spending(1.3, EVERYDAY_SPENDING),
        ],
      }),
    ],
  };
}

function userHeavy(): Persona {
  const toSavings = transferPair([2, 16], 1200, '0000', '1111');
  const cardPayment: Activity = (day) =>
    onDayOfMonth(day, 25) ? [{ merchant: Merchants.cardPaymentOut, amount: 4950, reference: '3333' }] : [];
  const cardPaymentReceived: Activity = (day) =>
    onDayOfMonth(day, 25) ? [{ merchant: Merchants.cardPaymentIn, amount: -4950 }] : [];
  const clientPayments: Activity = (day) =>
    day.weekday >= 1 && day.weekday <= 5
      ? [
          {
            merchant: Merchants.clientPayment,
            amount: -between(day.random, 650, 950),
            reference: storeNumber(day.random),
          },
        ]
      : [];
  return {
    username: 'user_heavy',
    summary: 'Load test: 8 accounts, 2 years of history, about 40,000 transactions.',
    owner: ALBERTA,
    accounts: [
      account({
        key: 'checking',
        name: 'Plaid Checking',
        official_name: 'Plaid Gold Standard 0% Interest Checking',
        mask: '0000',
        type: 'depository',
        subtype: 'checking',
        available: 18234.55,
        current: 18234.55,
        limit: null,
        activity: [
          semiMonthlyPayroll(Merchants.payroll, 6800),
          monthly(1, Merchants.rent, 3200),
          monthly(6, Merchants.electric),
          monthly(11, Merchants.phone, 85),
          toSavings.out,
          cardPayment,
          spending(17, EVERYDAY_SPENDING, 0.1),
        ],
      }),
      account({
        key: 'savings',
        name: 'Plaid Saving',
        official_name: 'Plaid Silver Standard 0.1% Interest Saving',
        mask: '1111',
        type: 'depository',
        subtype: 'savings',
        available: 96420.18,
        current: 96420.18,
        limit: null,
        activity: [toSavings.in, monthly(28, Merchants.savingsInterest, -8.04)],
      }),
      account({
        key: 'checking2',
        name: 'Plaid Everyday Checking',
        official_name: 'Plaid Everyday Checking',
        mask: '0101',
        type: 'depository',
        subtype: 'checking',
        available: 3120.4,
        current: 3120.4,
        limit: null,
        activity: [biweeklyPayroll(Merchants.payrollNorthwind, 560), spending(5, EVERYDAY_SPENDING, 0.147)],
      }),
      account({
        key: 'business',
        name: 'Plaid Business Checking',
        official_name: 'Plaid Small Business Checking',
        mask: '7070',
        type: 'depository',
        subtype: 'checking',
        available: 41877.09,
        current: 41877.09,
        limit: null,
        activity: [clientPayments, monthly(15, Merchants.software, 54.99), spending(15, BUSINESS_SPENDING, 0.77)],
      }),
      account({
        key: 'credit',
        name: 'Plaid Credit Card',
        official_name: 'Plaid Diamond 12.5% APR Interest Credit Card',
        mask: '3333',
        type: 'credit',
        subtype: 'credit card',
        available: 13245.5,
        current: 1754.5,
        limit: 15000,
        activity: [cardPaymentReceived, spending(14, EVERYDAY_SPENDING, 0.22)],
      }),
      account({
        key: 'money_market',
        name: 'Plaid Money Market',
        official_name: 'Plaid Platinum Standard 1.85% Interest Money Market',
        mask: '4444',
        type: 'depository',
        subtype: 'money market',
        available: 43200,
        current: 43200,
        limit: null,
        activity: [monthly(28, Merchants.savingsInterest, -66.6)],
      }),
      account({
        key: 'hsa',
        name: 'Plaid HSA',
        official_name: 'Plaid Cares Health Savings Account',
        mask: '9001',
        type: 'depository',
        subtype: 'hsa',
        available: 6009,
        current: 6009,
        limit: null,
        activity: [
          monthly(2, Merchants.transferFromChecking, -600, '0000'),
          spending(0.3, [Merchants.pharmacy, Merchants.doctor]),
        ],
      }),
      account({
        key: '401k',
        name: 'Plaid 401k',
        official_name: null,
        mask: '6666',
        type: 'investment',
        subtype: '401k',
        available: null,
        current: 23631.9805,
        limit: null,
      }),
    ],
  };
}

const PERSONAS: Record<string, () => Persona> = {
  user_good: userGood,
  user_steady_saver: () =>
    payrollHousehold(
      'user_steady_saver',
      'Steady payroll saver: semi-monthly ACME CORP payroll, rent and bills, $500 to savings twice a month.',
      ALBERTA,
    ),
  user_large_deposit: () =>
    payrollHousehold(
      'user_large_deposit',
      'Payroll saver with one large unsourced mobile check deposit (about 1.5× monthly pay) 23 days before the report.',
      ALBERTA,
      [oneOff(23, Merchants.mobileDeposit, -7350, '7734120559')],
      { checking: 11618.19, savings: 38412.57 },
    ),
  user_joint: userJoint,
  user_short_history: userShortHistory,
  user_name_mismatch: () =>
    payrollHousehold(
      'user_name_mismatch',
      'Looks like a steady saver, but the accounts belong to "Robert Q Public", not the applicant.',
      ROBERT_PUBLIC,
    ),
  user_nsf: userNsf,
  user_heavy: userHeavy,
  user_bank_timeout: () => ({
    ...payrollHousehold(
      'user_bank_timeout',
      'A steady saver whose bank links fine but times out while a report is generated (INSTITUTION_NOT_RESPONDING).',
      ALBERTA,
    ),
    generation: { failsWith: 'INSTITUTION_NOT_RESPONDING' },
  }),
  user_owners_unavailable: () => ({
    ...payrollHousehold(
      'user_owners_unavailable',
      'A steady saver whose bank does not share account owners: the report comes with an OWNERS_UNAVAILABLE warning.',
      ALBERTA,
    ),
    generation: { ownersUnavailable: true },
  }),
};

export const PERSONA_USERNAMES = Object.keys(PERSONAS);

const cache = new Map<string, Persona>();
export function findPersona(username: string): Persona | undefined {
  const build = PERSONAS[username];
  if (!build) return undefined;
  let persona = cache.get(username);
  if (!persona) {
    persona = build();
    cache.set(username, persona);
  }
  return persona;
}
