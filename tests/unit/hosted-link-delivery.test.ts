import { deliveryContact } from '../../electron/services/link/hosted-link';
import type { Applicant } from '../../shared/domain';

/** Plaid delivers a Hosted Link by SMS to an E.164 number, or by e-mail to the address on file. */

const applicant = (contact: Partial<Pick<Applicant, 'email' | 'phone'>>) =>
  ({ email: 'maria.lopez@example.com', phone: '+1 415 555 0134', ...contact }) as Applicant;

test.each([
  ['+1 415 555 0134', '+14155550134'],
  ['(415) 555-0134', '+14155550134'],
  ['415.555.0134', '+14155550134'],
  ['+44 20 7946 0958', '+442079460958'],
])('SMS to %s goes to Plaid as %s', (phone, e164) => {
  expect(deliveryContact(applicant({ phone }), 'sms')).toEqual({ phone_number: e164 });
});

test('e-mail delivery sends the address on file', () => {
  expect(deliveryContact(applicant({}), 'email')).toEqual({ email_address: 'maria.lopez@example.com' });
});

test('missing contact details are refused with what to do', () => {
  expect(() => deliveryContact(applicant({ phone: '' }), 'sms')).toThrow(/no phone number on file/);
  expect(() => deliveryContact(applicant({ email: '' }), 'email')).toThrow(/no e-mail address on file/);
});
