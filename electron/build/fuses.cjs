'use strict';
/* global require, module, process */
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: an electron-builder hook, which electron-builder loads with require(). */
// electron-builder afterPack hook: flips Electron's fuses in the packaged binary, before signing,
// so the shipped app cannot be turned back into a Node runtime or a debug target.
const path = require('node:path');

/** Fuse values by @electron/fuses FuseV1Options name. */
const FUSE_CONFIG = Object.freeze({
  // `ELECTRON_RUN_AS_NODE=1 AssetDesk` would otherwise be a signed Node interpreter.
  RunAsNode: false,
  // Cookies and local storage encrypted with the OS keychain key.
  EnableCookieEncryption: true,
  // NODE_OPTIONS could inject --require of arbitrary code.
  EnableNodeOptionsEnvironmentVariable: false,
  // --inspect / --inspect-brk would open a debugger into the main process (which holds the secrets).
  EnableNodeCliInspectArguments: false,
  // app.asar is checked against the hash electron-builder embeds (macOS, Windows).
  EnableEmbeddedAsarIntegrityValidation: true,
  // Never load a loose app/ folder dropped next to the binary.
  OnlyLoadAppFromAsar: true,
  // Pages on file:// get no more than a browser would give them (our UI is on app://).
  GrantFileProtocolExtraPrivileges: false,
});

/** electron-builder's Arch enum (builder-util), by value. */
const ARCH_NAMES = Object.freeze({ 0: 'ia32', 1: 'x64', 2: 'armv7l', 3: 'arm64', 4: 'universal' });

/**
 * keytar.node is the binary compiled on this machine (npmRebuild is off), so packaging for another
 * platform or architecture would ship a module that cannot load there. Refuse instead.
 */
function assertBuildsForThisMachine(context, host = { platform: process.platform, arch: process.arch }) {
  const platform = context.electronPlatformName === 'mas' ? 'darwin' : context.electronPlatformName;
  const arch = ARCH_NAMES[context.arch];
  if (platform !== host.platform || arch !== host.arch) {
    throw new Error(
      `AssetDesk packages native modules built on this machine (${host.platform}-${host.arch}); ` +
        `package for ${platform}-${arch} on a ${platform}-${arch} machine.`,
    );
  }
}

/** The Electron binary (or .app bundle) inside electron-builder's unpacked output. */
function electronBinaryPath(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  const productFilename = packager.appInfo.productFilename;
  switch (electronPlatformName) {
    case 'darwin':
    case 'mas':
      return path.join(appOutDir, `${productFilename}.app`);
    case 'win32':
      return path.join(appOutDir, `${productFilename}.exe`);
    case 'linux':
      return path.join(appOutDir, packager.executableName);
    default:
      throw new Error(`fuses.cjs: unknown platform ${electronPlatformName}`);
  }
}

/** The config handed to flipFuses; built from FUSE_CONFIG so the two can never differ. */
function fuseWireConfig(fuses, electronPlatformName) {
  const { FuseV1Options, FuseVersion } = fuses;
  const config = {
    version: FuseVersion.V1,
    // Flipping fuses invalidates the ad-hoc signature on Apple silicon; electron-builder signs afterwards.
    resetAdHocDarwinSignature: electronPlatformName === 'darwin' || electronPlatformName === 'mas',
  };
  for (const [name, value] of Object.entries(FUSE_CONFIG)) {
    const index = FuseV1Options[name];
    if (typeof index !== 'number') throw new Error(`fuses.cjs: @electron/fuses has no fuse named ${name}`);
    config[index] = value;
  }
  return config;
}

async function afterPack(context) {
  assertBuildsForThisMachine(context);
  // @electron/fuses 2 is an ES module; this hook stays CommonJS because electron-builder requires it.
  const fuses = await import('@electron/fuses');
  const binary = electronBinaryPath(context);
  await fuses.flipFuses(binary, fuseWireConfig(fuses, context.electronPlatformName));
}

module.exports = afterPack;
module.exports.default = afterPack;
module.exports.afterPack = afterPack;
module.exports.FUSE_CONFIG = FUSE_CONFIG;
module.exports.electronBinaryPath = electronBinaryPath;
module.exports.fuseWireConfig = fuseWireConfig;
module.exports.assertBuildsForThisMachine = assertBuildsForThisMachine;
