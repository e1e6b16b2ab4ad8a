import { classify, describeKeychainFailure } from '../../electron/services/keychain-failures';

/** What an officer on Linux reads when keytar cannot reach a keychain: what is missing, and a command that works. */
describe('keychain failures on Linux', () => {
  it('no D-Bus session: run inside one, with GNOME Keyring started and unlocked in it', () => {
    const failure = describeKeychainFailure(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY'), 'linux');
    expect(failure.message).toMatch(/cannot reach a desktop session bus/);
    expect(failure.howToFix).toContain(
      "dbus-run-session -- sh -c 'gnome-keyring-daemon --unlock --components=secrets; assetdesk'",
    );
  });

  it('a Secret Service without an unlocked default keyring reads as a locked keyring, not an unknown failure', () => {
    const raw = 'Object does not exist at path “/org/freedesktop/secrets/collection/login”';
    expect(classify(raw)).toBe('locked');
    const failure = describeKeychainFailure(new Error(raw), 'linux');
    expect(failure.message).toMatch(/keychain is locked/);
    expect(failure.howToFix).toContain('gnome-keyring-daemon --unlock --components=secrets');
  });
});
