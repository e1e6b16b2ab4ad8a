/**
 * Counterparties of generated transactions: the raw bank string every report shows, and the enrichment
 * (name, merchant, categories, location, payment_meta) that only reports fetched with include_insights carry.
 */
export interface Merchant {
  /** Raw bank description; `{ref}` is replaced by a store or reference number. */
  description: string;
  name: string;
  merchant_name: string | null;
  category: string[];
  category_id: string;
  credit: { primary: string; detailed: string };
  transaction_type: 'digital' | 'place' | 'special' | 'unresolved';
  location?: { city: string; region: string; postal_code?: string; address?: string };
  payment_method?: string;
  /** Typical amount range in dollars (positive = money out), for random spending. */
  min: number;
  max: number;
}

const m = (
  description: string,
  name: string,
  merchant_name: string | null,
  category: string[],
  category_id: string,
  credit: [string, string],
  transaction_type: Merchant['transaction_type'],
  min: number,
  max: number,
  extra: Partial<Merchant> = {},
): Merchant => ({ description, name, merchant_name, category, category_id, credit: { primary: credit[0], detailed: credit[1] }, transaction_type, min, max, ...extra });

const FOOD = 'FOOD_AND_DRINK';
const TRANSFER_IN = 'TRANSFER_IN';
const TRANSFER_OUT = 'TRANSFER_OUT';

export const Merchants = {
  // The Sandbox user_good monthly cycle (SANDBOX-FIXTURES.md §4).
  creditCardPayment: m('CREDIT CARD 3333 PAYMENT *//', 'CREDIT CARD 3333 PAYMENT *//', null, ['Payment', 'Credit Card'], '16001000', ['LOAN_PAYMENTS', 'LOAN_PAYMENTS_CREDIT_CARD_PAYMENT'], 'special', 25, 25),
  uberPool: m('Uber 063015 SF**POOL**', 'Uber 063015 SF**POOL**', 'Uber', ['Travel', 'Taxi'], '22016000', ['TRANSPORTATION', 'TRANSPORTATION_TAXIS_AND_RIDE_SHARES'], 'special', 5.4, 5.4),
  uberPool2: m('Uber 072515 SF**POOL**', 'Uber 072515 SF**POOL**', 'Uber', ['Travel', 'Taxi'], '22016000', ['TRANSPORTATION', 'TRANSPORTATION_TAXIS_AND_RIDE_SHARES'], 'special', 6.33, 6.33),
  gustoPay: m('ACH Electronic CreditGUSTO PAY 123456', 'ACH Electronic CreditGUSTO PAY 123456', null, ['Transfer', 'Debit'], '21006000', ['INCOME', 'INCOME_WAGES'], 'special', 5850, 5850, { payment_method: 'ACH' }),
  cdDeposit: m('CD DEPOSIT .INITIAL.', 'CD DEPOSIT .INITIAL.', null, ['Transfer', 'Deposit'], '21007000', [TRANSFER_IN, 'TRANSFER_IN_DEPOSIT'], 'special', 1000, 1000),
  touchstone: m('Touchstone Climbing', 'Touchstone Climbing', null, ['Recreation', 'Gyms and Fitness Centers'], '17018000', ['PERSONAL_CARE', 'PERSONAL_CARE_GYMS_AND_FITNESS_CENTERS'], 'place', 78.5, 78.5),
  unitedRefund: m('United Airlines **** REFUND ****', 'United Airlines', 'United Airlines', ['Travel', 'Airlines and Aviation Services'], '22001000', ['TRAVEL', 'TRAVEL_FLIGHTS'], 'special', -500, -500),
  mcdonalds: m('McDonalds #3322', "McDonald's", "McDonald's", ['Food and Drink', 'Restaurants', 'Fast Food'], '13005032', [FOOD, 'FOOD_AND_DRINK_FAST_FOOD'], 'place', 12, 12, { location: { city: 'San Francisco', region: 'CA' } }),
  starbucks: m('Starbucks', 'Starbucks', 'Starbucks', ['Food and Drink', 'Restaurants', 'Coffee Shop'], '13005043', [FOOD, 'FOOD_AND_DRINK_COFFEE'], 'place', 4.33, 4.33),
  sparkfun: m('SparkFun', 'SparkFun', null, ['Food and Drink', 'Restaurants'], '13005000', [FOOD, 'FOOD_AND_DRINK_RESTAURANT'], 'place', 89.4, 89.4),
  interestPayment: m('INTRST PYMNT', 'INTRST PYMNT', null, ['Transfer', 'Credit'], '21005000', ['INCOME', 'INCOME_INTEREST_EARNED'], 'special', -4.22, -4.22),
  united: m('United Airlines', 'United Airlines', 'United Airlines', ['Travel', 'Airlines and Aviation Services'], '22001000', ['TRAVEL', 'TRAVEL_FLIGHTS'], 'special', 500, 500),
  tectra: m('Tectra Inc', 'Tectra Inc', null, ['Food and Drink', 'Restaurants'], '13005000', [FOOD, 'FOOD_AND_DRINK_RESTAURANT'], 'place', 500, 500),
  automaticPayment: m('AUTOMATIC PAYMENT - THANK', 'AUTOMATIC PAYMENT - THANK', null, ['Payment'], '16000000', ['LOAN_PAYMENTS', 'LOAN_PAYMENTS_CREDIT_CARD_PAYMENT'], 'special', 2078.5, 2078.5),
  kfc: m('KFC', 'KFC', 'KFC', ['Food and Drink', 'Restaurants'], '13005000', [FOOD, 'FOOD_AND_DRINK_FAST_FOOD'], 'place', 500, 500),
  madisonBicycle: m('Madison Bicycle Shop', 'Madison Bicycle Shop', null, ['Shops', 'Bicycles'], '19007000', ['GENERAL_MERCHANDISE', 'GENERAL_MERCHANDISE_SPORTING_GOODS'], 'place', 500, 500),

  // Lending personas.
  payroll: m('ACH DEPOSIT ACME CORP PAYROLL', 'Acme Corp Payroll', 'Acme Corp', ['Transfer', 'Payroll'], '21009000', ['INCOME', 'INCOME_WAGES'], 'special', 0, 0, { payment_method: 'ACH' }),
  payrollNorthwind: m('ACH DEPOSIT NORTHWIND HEALTH PAYROLL', 'Northwind Health Payroll', 'Northwind Health', ['Transfer', 'Payroll'], '21009000', ['INCOME', 'INCOME_WAGES'], 'special', 0, 0, { payment_method: 'ACH' }),
  payrollStaffing: m('ACH DEPOSIT QUICKMART STAFFING PAYROLL', 'QuickMart Staffing Payroll', 'QuickMart Staffing', ['Transfer', 'Payroll'], '21009000', ['INCOME', 'INCOME_WAGES'], 'special', 0, 0, { payment_method: 'ACH' }),
  mobileDeposit: m('MOBILE CHECK DEPOSIT REF #{ref}', 'Mobile Check Deposit', null, ['Transfer', 'Deposit', 'Check'], '21007001', [TRANSFER_IN, 'TRANSFER_IN_DEPOSIT'], 'special', 0, 0, { payment_method: 'check' }),
  openingDeposit: m('OPENING DEPOSIT BRANCH #{ref}', 'Opening Deposit', null, ['Transfer', 'Deposit'], '21007000', [TRANSFER_IN, 'TRANSFER_IN_CASH_ADVANCES_AND_LOANS'], 'special', 0, 0),
  transferToSavings: m('ONLINE TRANSFER TO SAVINGS XXXX{ref}', 'Online Transfer to Savings', null, ['Transfer', 'Internal Account Transfer'], '21001000', [TRANSFER_OUT, 'TRANSFER_OUT_SAVINGS'], 'special', 0, 0),
  transferFromChecking: m('ONLINE TRANSFER FROM CHECKING XXXX{ref}', 'Online Transfer from Checking', null, ['Transfer', 'Internal Account Transfer'], '21001000', [TRANSFER_IN, 'TRANSFER_IN_ACCOUNT_TRANSFER'], 'special', 0, 0),
  cardPaymentOut: m('ONLINE PAYMENT TO CREDIT CARD XXXX{ref}', 'Credit Card Payment', null, ['Payment', 'Credit Card'], '16001000', ['LOAN_PAYMENTS', 'LOAN_PAYMENTS_CREDIT_CARD_PAYMENT'], 'special', 0, 0),
  cardPaymentIn: m('PAYMENT RECEIVED - THANK YOU', 'Payment Received', null, ['Payment', 'Credit Card'], '16001000', ['LOAN_PAYMENTS', 'LOAN_PAYMENTS_CREDIT_CARD_PAYMENT'], 'special', 0, 0),
  savingsInterest: m('INTEREST PAYMENT', 'Interest Payment', null, ['Interest', 'Interest Earned'], '15001000', ['INCOME', 'INCOME_INTEREST_EARNED'], 'special', 0, 0),
  nsfFee: m('NSF FEE', 'NSF Fee', null, ['Bank Fees', 'Insufficient Funds'], '10007000', ['BANK_FEES', 'BANK_FEES_INSUFFICIENT_FUNDS'], 'special', 34, 34),
  overdraftFee: m('OVERDRAFT FEE', 'Overdraft Fee', null, ['Bank Fees', 'Overdraft'], '10001000', ['BANK_FEES', 'BANK_FEES_OVERDRAFT_FEES'], 'special', 34, 34),
  nsfReversal: m('NSF FEE REVERSAL', 'NSF Fee Reversal', null, ['Bank Fees', 'Insufficient Funds'], '10007000', ['BANK_FEES', 'BANK_FEES_INSUFFICIENT_FUNDS'], 'special', -34, -34),
  returnedItem: m('RETURNED ITEM ACH DEBIT GEICO AUTO', 'Returned Item', null, ['Bank Fees'], '10000000', ['BANK_FEES', 'BANK_FEES_OTHER_BANK_FEES'], 'special', 0, 0),
  rent: m('RENT PAYMENT OAKWOOD APARTMENTS', 'Oakwood Apartments', 'Oakwood Apartments', ['Payment', 'Rent'], '16002000', ['RENT_AND_UTILITIES', 'RENT_AND_UTILITIES_RENT'], 'special', 0, 0, { payment_method: 'ACH' }),
  electric: m('PG&E WEB ONLINE BILL PAYMENT', 'PG&E', 'Pacific Gas and Electric', ['Service', 'Utilities', 'Electric'], '18068005', ['RENT_AND_UTILITIES', 'RENT_AND_UTILITIES_GAS_AND_ELECTRICITY'], 'special', 68, 164, { payment_method: 'ACH' }),
  phone: m('VERIZON WIRELESS PAYMENTS', 'Verizon Wireless', 'Verizon', ['Service', 'Telecommunication Services'], '18063000', ['RENT_AND_UTILITIES', 'RENT_AND_UTILITIES_TELEPHONE'], 'digital', 85, 85),
  autoInsurance: m('GEICO AUTO INSURANCE', 'GEICO', 'GEICO', ['Service', 'Insurance'], '18030000', ['GENERAL_SERVICES', 'GENERAL_SERVICES_INSURANCE'], 'special', 126.4, 126.4, { payment_method: 'ACH' }),
  groceries: m('SAFEWAY STORE #{ref}', 'Safeway', 'Safeway', ['Shops', 'Supermarkets and Groceries'], '19047000', [FOOD, 'FOOD_AND_DRINK_GROCERIES'], 'place', 24, 168, { location: { city: 'Oakland', region: 'CA', postal_code: '94611' } }),
  traderJoes: m("TRADER JOE'S #", "Trader Joe's", "Trader Joe's", ['Shops', 'Supermarkets and Groceries'], '19047000', [FOOD, 'FOOD_AND_DRINK_GROCERIES'], 'place', 18, 96, { location: { city: 'Berkeley', region: 'CA', postal_code: '94704' } }),
  gas: m('SHELL OIL #{ref}', 'Shell', 'Shell', ['Travel', 'Gas Stations'], '22009000', ['TRANSPORTATION', 'TRANSPORTATION_GAS'], 'place', 32, 71, { location: { city: 'Oakland', region: 'CA' } }),
  coffee: m('PEETS COFFEE #{ref}', "Peet's Coffee", "Peet's Coffee", ['Food and Drink', 'Restaurants', 'Coffee Shop'], '13005043', [FOOD, 'FOOD_AND_DRINK_COFFEE'], 'place', 3.75, 11.5, { location: { city: 'Oakland', region: 'CA' } }),
  chipotle: m('CHIPOTLE #{ref}', 'Chipotle Mexican Grill', 'Chipotle Mexican Grill', ['Food and Drink', 'Restaurants', 'Fast Food'], '13005032', [FOOD, 'FOOD_AND_DRINK_FAST_FOOD'], 'place', 9.8, 28.4, { location: { city: 'Emeryville', region: 'CA' } }),
  restaurant: m('SQ *NOPALITO RESTAURANT', 'Nopalito', 'Nopalito', ['Food and Drink', 'Restaurants'], '13005000', [FOOD, 'FOOD_AND_DRINK_RESTAURANT'], 'place', 28, 115, { location: { city: 'San Francisco', region: 'CA' } }),
  amazon: m('AMAZON MKTPL*{ref}', 'Amazon', 'Amazon', ['Shops', 'Digital Purchase'], '19013000', ['GENERAL_MERCHANDISE', 'GENERAL_MERCHANDISE_ONLINE_MARKETPLACES'], 'digital', 8.99, 142.5),
  target: m('TARGET T-{ref}', 'Target', 'Target', ['Shops', 'Department Stores'], '19018000', ['GENERAL_MERCHANDISE', 'GENERAL_MERCHANDISE_SUPERSTORES'], 'place', 12, 188, { location: { city: 'Emeryville', region: 'CA' } }),
  pharmacy: m('CVS/PHARMACY #{ref}', 'CVS Pharmacy', 'CVS', ['Shops', 'Pharmacies'], '19043000', ['MEDICAL', 'MEDICAL_PHARMACIES_AND_SUPPLEMENTS'], 'place', 6, 64, { location: { city: 'Oakland', region: 'CA' } }),
  netflix: m('NETFLIX.COM', 'Netflix', 'Netflix', ['Service', 'Subscription'], '18061000', ['ENTERTAINMENT', 'ENTERTAINMENT_TV_AND_MOVIES'], 'digital', 15.49, 15.49),
  gym: m('24 HOUR FITNESS USA', '24 Hour Fitness', '24 Hour Fitness', ['Recreation', 'Gyms and Fitness Centers'], '17018000', ['PERSONAL_CARE', 'PERSONAL_CARE_GYMS_AND_FITNESS_CENTERS'], 'place', 49.99, 49.99),
  lyft: m('LYFT *RIDE {ref}', 'Lyft', 'Lyft', ['Travel', 'Taxi'], '22016000', ['TRANSPORTATION', 'TRANSPORTATION_TAXIS_AND_RIDE_SHARES'], 'digital', 7.5, 38.2),
  venmoOut: m('VENMO PAYMENT {ref}', 'Venmo', 'Venmo', ['Transfer', 'Third Party', 'Venmo'], '21010001', [TRANSFER_OUT, 'TRANSFER_OUT_ACCOUNT_TRANSFER'], 'special', 10, 120),
  doctor: m('SUTTER HEALTH COPAY', 'Sutter Health', 'Sutter Health', ['Healthcare', 'Healthcare Services'], '14001000', ['MEDICAL', 'MEDICAL_PRIMARY_CARE'], 'place', 20, 180),
  officeSupplies: m('STAPLES #{ref}', 'Staples', 'Staples', ['Shops', 'Office Supplies'], '19040000', ['GENERAL_MERCHANDISE', 'GENERAL_MERCHANDISE_OFFICE_SUPPLIES'], 'place', 9, 210),
  software: m('ADOBE *CREATIVE CLOUD', 'Adobe', 'Adobe', ['Service', 'Computers'], '18009000', ['GENERAL_SERVICES', 'GENERAL_SERVICES_OTHER_GENERAL_SERVICES'], 'digital', 54.99, 54.99),
  clientPayment: m('STRIPE TRANSFER ST-{ref}', 'Stripe', 'Stripe', ['Transfer', 'Deposit'], '21007000', [TRANSFER_IN, 'TRANSFER_IN_DEPOSIT'], 'special', 0, 0, { payment_method: 'ACH' }),
  shipping: m('USPS PO #{ref}', 'USPS', 'USPS', ['Service', 'Shipping and Freight'], '18050000', ['GENERAL_SERVICES', 'GENERAL_SERVICES_POSTAGE_AND_SHIPPING'], 'place', 4.5, 62),
  fedex: m('FEDEX #{ref}', 'FedEx', 'FedEx', ['Service', 'Shipping and Freight'], '18050000', ['GENERAL_SERVICES', 'GENERAL_SERVICES_POSTAGE_AND_SHIPPING'], 'place', 12, 96),
} satisfies Record<string, Merchant>;

export type MerchantKey = keyof typeof Merchants;

export const EVERYDAY_SPENDING: readonly Merchant[] = [
  Merchants.groceries, Merchants.traderJoes, Merchants.gas, Merchants.coffee, Merchants.chipotle, Merchants.restaurant,
  Merchants.amazon, Merchants.target, Merchants.pharmacy, Merchants.lyft, Merchants.venmoOut,
];
export const BUSINESS_SPENDING: readonly Merchant[] = [Merchants.officeSupplies, Merchants.shipping, Merchants.fedex, Merchants.amazon, Merchants.lyft, Merchants.coffee];
