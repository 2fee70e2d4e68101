// electron-builder afterPack hook: flip Electron's fuses on the packaged binary, before signing
// (electron-builder signs after this hook). electron-builder computes the asar integrity hash
// that EnableEmbeddedAsarIntegrityValidation checks (macOS Info.plist, Windows resource).
'use strict'

const { FuseV1Options, FuseVersion } = require('@electron/fuses')

/** The fuses for a platform; pure, so the test can check it. */
function fuseConfig(electronPlatformName) {
  return {
    version: FuseVersion.V1,
    // Flipping fuses invalidates the ad-hoc signature on macOS (arm64 refuses to run without one).
    resetAdHocDarwinSignature: electronPlatformName === 'darwin',
    // ELECTRON_RUN_AS_NODE would turn the signed app into a general-purpose Node.
    [FuseV1Options.RunAsNode]: false,
    // NODE_OPTIONS and --inspect would let anyone inject code into the desk.
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
    [FuseV1Options.EnableNodeCliInspectArguments]: false,
    // Load the app only from app.asar, and only if its hash matches the one baked in.
    [FuseV1Options.OnlyLoadAppFromAsar]: true,
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
    [FuseV1Options.EnableCookieEncryption]: true,
    // The UI comes from app://, never file://: file: pages get no extra privileges (fetch, workers).
    [FuseV1Options.GrantFileProtocolExtraPrivileges]: false
  }
}

async function afterPack(context) {
  // packager.addElectronFuses resolves the packaged binary's path per platform.
  await context.packager.addElectronFuses(context, fuseConfig(context.electronPlatformName))
}

module.exports = afterPack
module.exports.default = afterPack
module.exports.fuseConfig = fuseConfig
