import { z } from 'zod'
import { languageCode, noInput } from './schemas'
import { out } from './types'
import type { AppInfo, Settings } from '../app'

export const appChannels = {
  'app.info': { input: noInput, output: out<AppInfo>() },
  'settings.get': { input: noInput, output: out<Settings>() },
  'settings.update': {
    input: z.strictObject({
      language: languageCode.optional(),
      point: z
        .strictObject({
          id: z.string().trim().max(64),
          name: z.string().trim().max(128),
          carriers: z.array(z.string().max(32)).max(16).optional()
        })
        .nullable()
        .optional()
    }),
    output: out<Settings>()
  },
  'demo.enable': { input: noInput, output: out<{ shipments: number }>() }
}
