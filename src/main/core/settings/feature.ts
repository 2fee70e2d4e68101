// The settings slice: the desk's settings (point, sender, language...) over the shell's store.
import type { Handlers } from '../../platform/ipc/dispatch'
import type { Logger } from '../../platform/logger'
import { SettingsService, type KeyValueStore } from './settings'

interface SettingsFeature {
  service: SettingsService
  handlers: Pick<Handlers, 'settings.get' | 'settings.update'>
  close(): void
}

export function createSettingsFeature(o: { settingsStore: KeyValueStore; logger: Logger }): SettingsFeature {
  const service = new SettingsService(o.settingsStore, o.logger)
  return {
    service,
    handlers: { 'settings.get': () => service.get(), 'settings.update': (input) => service.update(input) },
    close: () => undefined
  }
}
