import { z } from 'zod'
import type { Settings } from '../../../shared/app'
import { senderAddressShape } from '../../../shared/contract/app'
import { languageCode } from '../../../shared/contract/schemas'
import type { Logger } from '../../platform/logger'

/** The storage under settings: electron-store in the desktop shell, platform/settings-file in the backend process and browser mode. */
export interface KeyValueStore {
  get(key: string): unknown
  set(key: string, value: unknown): void
}

/** A Map-backed store for tests. */
export class MemoryStore implements KeyValueStore {
  private readonly m = new Map<string, unknown>()
  get(key: string): unknown {
    return structuredClone(this.m.get(key))
  }
  set(key: string, value: unknown): void {
    this.m.set(key, structuredClone(value))
  }
}

const pointSchema = z.lazy(() => z.object({ id: z.string().max(64), name: z.string().max(128), carriers: z.array(z.string()).optional() }))

// Each key is validated on its own: one bad value (hand-edited file, older version) falls back
// to its default with a warning, and never takes the other settings with it.
const schemas = {
  language: languageCode.nullable(),
  point: pointSchema.nullable(),
  // Lenient about unknown keys (a newer version's field), strict about the ones we print.
  sender: z.object(senderAddressShape).nullable(),
  labelPrinter: z.string().max(160).nullable()
} satisfies { [K in keyof Settings]: z.ZodType<Settings[K]> }

// labelPrinter is absent until chosen (Settings marks it optional): files and fixtures from before read as they did.
const defaults: Settings = { language: null, point: null, sender: null }

/** Non-secret settings. Secrets never live here: they go to the credentials vault. */
export class SettingsService {
  constructor(
    private readonly store: KeyValueStore,
    private readonly logger: Logger
  ) {}

  get(): Settings {
    const out = { ...defaults } as Record<keyof Settings, unknown>
    for (const key of Object.keys(schemas) as Array<keyof Settings>) {
      const raw = this.store.get(key)
      if (raw === undefined) continue
      const parsed = schemas[key].safeParse(raw)
      if (parsed.success) out[key] = parsed.data
      else
        this.logger.warn('settings.invalid_value', {
          key,
          field: parsed.error.issues[0]?.path.join('.'),
          issue: parsed.error.issues[0]?.message
        })
    }
    return out as Settings
  }

  update(patch: Partial<Settings>): Settings {
    for (const [key, value] of Object.entries(patch) as Array<[keyof Settings, unknown]>) {
      if (value === undefined) continue
      this.store.set(key, schemas[key].parse(value))
    }
    return this.get()
  }
}
