// Whether the running build is code-signed, for the About screen. Two sources, both from the
// release machine, never from the desk:
// - at build time, electron.vite.config.ts defines __GUICHET_SIGNING__ from signingFromEnv():
//   signed when a certificate is given to electron-builder (CSC_LINK, WIN_CSC_LINK, CSC_NAME) or
//   the release says so (GUICHET_SIGNED_BY, the publisher's name);
// - in a packaged Windows build signed with a certificate, electron-builder writes the
//   certificate's publisher name into resources/app-update.yml (publisherName), the name
//   electron-updater then requires of every update.
// An unpacked or development build is never called signed.

import type { BuildSigning } from '../../../shared/contract/updater'

export type { BuildSigning }

export const NOT_SIGNED: BuildSigning = { signed: false, publisher: null }

/** Build time: what the release machine's environment says about signing (used by electron.vite.config.ts). */
export function signingFromEnv(env: Record<string, string | undefined>): BuildSigning {
  const publisher = env.GUICHET_SIGNED_BY?.trim() || null
  const certificate = Boolean(env.CSC_LINK || env.WIN_CSC_LINK || env.CSC_NAME)
  return { signed: publisher !== null || certificate, publisher }
}

declare const __GUICHET_SIGNING__: BuildSigning | undefined

/** The value electron-vite baked in; null when this code was not built by electron-vite (tests, tsx). */
export function signingAtBuild(): BuildSigning | null {
  return typeof __GUICHET_SIGNING__ === 'undefined' ? null : __GUICHET_SIGNING__
}

/** Run time: what About says. */
export function buildSigning(o: { isPackaged: boolean; atBuild: BuildSigning | null; updatePublisher: string | null }): BuildSigning {
  if (!o.isPackaged) return NOT_SIGNED
  if (o.updatePublisher) return { signed: true, publisher: o.updatePublisher }
  if (o.atBuild?.signed) return { signed: true, publisher: o.atBuild.publisher }
  return NOT_SIGNED
}
