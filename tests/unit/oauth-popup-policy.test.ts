import { createEnvironmentPolicy, environmentSwitchListener } from '../../electron/main/environment-policy';
import { classifyWindowOpen, isAllowedPopupNavigation } from '../../electron/main/security';

/**
 * In emulator mode Link opens the emulator's OAuth bank on a second loopback origin: the pop-up
 * policy allows exactly that origin (and the emulator's), only while in emulator mode.
 */

const emulator = 'http://127.0.0.1:4010';
const bank = 'http://127.0.0.1:4020';

test('emulator mode: the bank site and the emulator may open as Link pop-ups; other loopback ports may not', () => {
  const policy = createEnvironmentPolicy({
    environment: 'emulator',
    emulatorOrigin: emulator,
    emulatorBankOrigin: bank,
  });
  const options = { emulatorOrigin: () => policy.popupOrigins() };
  expect(policy.popupOrigins()).toEqual([emulator, bank]);
  expect(classifyWindowOpen(`${bank}/oauth/authorize?state=x`, options)).toBe('allow-link-popup');
  expect(isAllowedPopupNavigation(`${bank}/oauth/decision`, options)).toBe(true);
  expect(classifyWindowOpen(`${emulator}/link/oauth-return`, options)).toBe('allow-link-popup');
  expect(classifyWindowOpen('http://127.0.0.1:4030/oauth', options)).toBe('deny');
  expect(isAllowedPopupNavigation('http://127.0.0.1:4030/oauth', options)).toBe(false);
  // The CSP still names only the emulator, never the bank: the page itself never talks to the bank.
  expect(policy.csp()).not.toContain(bank);
});

test('Sandbox and Production: no loopback pop-up at all, any plain https bank is a Link pop-up', () => {
  const policy = createEnvironmentPolicy({
    environment: 'sandbox',
    emulatorOrigin: emulator,
    emulatorBankOrigin: bank,
  });
  const options = { emulatorOrigin: () => policy.popupOrigins() };
  expect(policy.popupOrigins()).toEqual([]);
  expect(classifyWindowOpen(`${bank}/oauth/authorize`, options)).toBe('deny');
  expect(classifyWindowOpen('https://secure.examplebank.com/oauth/authorize', options)).toBe('allow-link-popup');
});

test('a switch carries the bank origin in and out', () => {
  const policy = createEnvironmentPolicy({ environment: 'sandbox', emulatorOrigin: null });
  const reloads: string[] = [];
  const apply = environmentSwitchListener({
    policy: () => policy,
    closeLinkPopups: () => undefined,
    reloadPage: () => void reloads.push(policy.environment()),
  });
  apply('emulator', emulator, bank);
  expect(policy.popupOrigins()).toEqual([emulator, bank]);
  apply('production', emulator, bank);
  expect(policy.popupOrigins()).toEqual([]);
  expect(reloads).toEqual(['emulator', 'production']);
});
