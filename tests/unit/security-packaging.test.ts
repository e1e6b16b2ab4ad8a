import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FuseState, FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { Ajv } from 'ajv';
import { parse } from 'yaml';

interface FuseHookModule {
  (context: unknown): Promise<void>;
  default: (context: unknown) => Promise<void>;
  FUSE_CONFIG: Record<string, boolean>;
  electronBinaryPath(context: unknown): string;
  assertBuildsForThisMachine(context: unknown, host?: { platform: string; arch: string }): void;
}

const require = createRequire(import.meta.url);
const hook = require('../../electron/build/fuses.cjs') as FuseHookModule;
const root = new URL('../../', import.meta.url);

// electron-builder's Arch enum value for this machine's architecture.
const HOST_ARCH = ({ ia32: 0, x64: 1, arm: 2, arm64: 3 } as Record<string, number>)[process.arch] ?? -1;
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
// A stock Electron fuse wire: RunAsNode, NODE_OPTIONS, inspect and file:// privileges on; the rest off.
const STOCK_WIRE = [
  FuseState.ENABLE, // RunAsNode
  FuseState.DISABLE, // EnableCookieEncryption
  FuseState.ENABLE, // EnableNodeOptionsEnvironmentVariable
  FuseState.ENABLE, // EnableNodeCliInspectArguments
  FuseState.DISABLE, // EnableEmbeddedAsarIntegrityValidation
  FuseState.DISABLE, // OnlyLoadAppFromAsar
  FuseState.DISABLE, // LoadBrowserProcessSpecificV8Snapshot
  FuseState.ENABLE, // GrantFileProtocolExtraPrivileges
  FuseState.ENABLE, // WasmTrapHandlers
];

describe('fuses afterPack hook', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'assetdesk-fuses-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('declares the seven fuses the issues ask for', () => {
    expect(hook.FUSE_CONFIG).toStrictEqual({
      RunAsNode: false,
      EnableCookieEncryption: true,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      EnableEmbeddedAsarIntegrityValidation: true,
      OnlyLoadAppFromAsar: true,
      GrantFileProtocolExtraPrivileges: false,
    });
    expect(Object.isFrozen(hook.FUSE_CONFIG)).toBe(true);
  });

  it('flips those fuses in a packaged binary and leaves the others alone', async () => {
    // A stand-in "Electron binary": filler bytes around a real fuse wire, as @electron/fuses expects.
    const binary = join(dir, 'assetdesk');
    writeFileSync(
      binary,
      Buffer.concat([
        Buffer.alloc(4096, 7),
        Buffer.from(SENTINEL),
        Buffer.from([1, STOCK_WIRE.length, ...STOCK_WIRE]),
        Buffer.alloc(4096, 7),
      ]),
    );
    const context = {
      appOutDir: dir,
      electronPlatformName: process.platform,
      arch: HOST_ARCH,
      packager: { appInfo: { productFilename: 'AssetDesk' }, executableName: 'assetdesk' },
    };

    await hook(context);

    const wire = (await getCurrentFuseWire(binary)) as unknown as Record<number, FuseState>;
    expect(wire[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(FuseState.ENABLE);
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(FuseState.ENABLE);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(FuseState.ENABLE);
    expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.WasmTrapHandlers]).toBe(FuseState.ENABLE);
    expect(
      readFileSync(binary)
        .subarray(0, 4096)
        .every((b) => b === 7),
    ).toBe(true);
  });

  it('finds the binary on every platform', () => {
    const packager = { appInfo: { productFilename: 'AssetDesk' }, executableName: 'assetdesk' };
    expect(hook.electronBinaryPath({ appOutDir: '/o', electronPlatformName: 'darwin', packager })).toBe(
      '/o/AssetDesk.app',
    );
    expect(hook.electronBinaryPath({ appOutDir: '/o', electronPlatformName: 'win32', packager })).toBe(
      '/o/AssetDesk.exe',
    );
    expect(hook.electronBinaryPath({ appOutDir: '/o', electronPlatformName: 'linux', packager })).toBe('/o/assetdesk');
  });

  it('fails the build rather than ship an unfused binary', async () => {
    mkdirSync(join(dir, 'empty'));
    writeFileSync(join(dir, 'empty', 'assetdesk'), 'no fuse wire here');
    const context = {
      appOutDir: join(dir, 'empty'),
      electronPlatformName: process.platform,
      arch: HOST_ARCH,
      packager: { appInfo: { productFilename: 'AssetDesk' }, executableName: 'assetdesk' },
    };
    await expect(hook.default(context)).rejects.toThrow(/sentinel/);
  });

  it('refuses to package for another platform or architecture (keytar.node is built on this machine)', () => {
    const host = { platform: 'linux', arch: 'x64' };
    expect(() => hook.assertBuildsForThisMachine({ electronPlatformName: 'linux', arch: 1 }, host)).not.toThrow();
    expect(() => hook.assertBuildsForThisMachine({ electronPlatformName: 'linux', arch: 3 }, host)).toThrow(
      /linux-arm64 on a linux-arm64 machine/,
    );
    expect(() => hook.assertBuildsForThisMachine({ electronPlatformName: 'win32', arch: 1 }, host)).toThrow(
      /win32-x64/,
    );
    expect(() =>
      hook.assertBuildsForThisMachine({ electronPlatformName: 'mas', arch: 3 }, { platform: 'darwin', arch: 'arm64' }),
    ).not.toThrow();
  });
});

describe('electron-builder.yml', () => {
  const config = parse(readFileSync(new URL('electron-builder.yml', root), 'utf8')) as Record<string, unknown> & {
    mac: { target: string[]; category: string; hardenedRuntime: boolean };
    win: { target: string[] };
    linux: { target: string[]; category: string };
    directories: { output: string };
    files: string[];
    asarUnpack: string[];
  };

  it("is valid against electron-builder's own configuration schema", () => {
    const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as object;
    const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
    expect(validate(config), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...config, npmRebuid: false })).toBe(false);
  });

  it('identifies the app and writes to release/', () => {
    expect(config.appId).toBe('com.assetdesk.desktop');
    expect(config.productName).toBe('AssetDesk');
    expect(config.directories.output).toBe('release');
  });

  it('uses the fuse hook (a path, not a package name), never rebuilds native modules and unpacks them from asar', () => {
    expect(config.afterPack).toBe('./electron/build/fuses.cjs');
    expect(config.electronFuses).toBeUndefined();
    expect(config.npmRebuild).toBe(false);
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toEqual(
      expect.arrayContaining(['**/node_modules/better-sqlite3/**', '**/node_modules/keytar/**', '**/*.node']),
    );
  });

  it('ships only the compiled app (never the web bridge), without maps or sources', () => {
    expect(config.files).toEqual(expect.arrayContaining(['package.json', '!**/*.map', '!node_modules/**/*']));
    const outPatterns = config.files.filter((f) => f.startsWith('out/'));
    expect(outPatterns.sort()).toStrictEqual(['out/main/**/*', 'out/preload/**/*', 'out/renderer/**/*']);
  });

  it('targets macOS, Windows and Linux', () => {
    expect(config.mac.target).toStrictEqual(['dmg', 'zip']);
    expect(config.mac.hardenedRuntime).toBe(true);
    expect(config.mac.category).toBe('public.app-category.finance');
    expect(config.win.target).toStrictEqual(['nsis']);
    // No AppImage: its SUID sandbox helper is blocked by AppArmor on Ubuntu 24.04+, and the app
    // will not run unsandboxed.
    expect(config.linux.target).toStrictEqual(['deb']);
    expect(config.linux.category).toBe('Office;Finance');
  });
});
