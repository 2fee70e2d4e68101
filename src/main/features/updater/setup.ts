import type { AppInfo } from '../../../shared/app'
import type { Handlers } from '../../platform/ipc/dispatch'
import type { Clock } from '../../platform/clock'
import type { EventBus } from '../../platform/events'
import type { Logger } from '../../platform/logger'
import { NOT_SIGNED, type BuildSigning } from '../../platform/security/signing'
import type { KeyValueStore } from '../../core/settings/settings'
import type { UpdateEngine } from './engine'
import { DEFAULT_OPENING_HOURS, isWithinOpeningHours, type DisabledReason, type OpeningHours, type UpdateChannel } from './policy'
import { UpdateService } from './service'

/** What the desktop shell hands the backend; browser mode and tests hand nothing (updates off). */
export interface UpdaterSetup {
  engine: UpdateEngine | null
  disabledReason: DisabledReason | null
  defaults: { feedUrl: string | null; channel: UpdateChannel }
  /** Whether this build is code-signed (About); unset: not signed. */
  signing?: BuildSigning
  /** A label is being printed: never restart under it. Unset: no print queue known yet. */
  isPrinting?: () => boolean
  /** The outbox holds work not yet sent to a carrier. Unset: no outbox known yet. */
  hasUnsentOutbox?: () => boolean
  openingHours?: OpeningHours
}

type UpdaterChannel = 'updater.status' | 'updater.check' | 'updater.restartNow' | 'updater.setChannel'

interface UpdaterFeature {
  service: UpdateService
  handlers: Pick<Handlers, UpdaterChannel>
  close(): void
}

export function createUpdaterFeature(
  setup: UpdaterSetup | null,
  base: {
    mode: AppInfo['mode']
    version: string
    store: KeyValueStore
    clock: Clock
    logger: Logger
    events: EventBus
    /** The backend's own view of busy work; the shell's setup may override either. */
    isPrinting?: () => boolean
    hasUnsentOutbox?: () => boolean
  }
): UpdaterFeature {
  const hours = setup?.openingHours ?? DEFAULT_OPENING_HOURS
  const service = new UpdateService({
    engine: setup?.engine ?? null,
    disabledReason: setup ? setup.disabledReason : base.mode === 'browser' ? 'browser_mode' : 'not_packaged',
    currentVersion: base.version,
    store: base.store,
    defaults: setup?.defaults ?? { feedUrl: null, channel: 'stable' },
    signing: setup?.signing ?? NOT_SIGNED,
    clock: base.clock,
    logger: base.logger,
    isPrinting: setup?.isPrinting ?? base.isPrinting ?? (() => false),
    hasUnsentOutbox: setup?.hasUnsentOutbox ?? base.hasUnsentOutbox ?? (() => false),
    isOpeningHours: (now) => isWithinOpeningHours(hours, new Date(now))
  })
  const off = service.onChange((s) => base.events.emit('updater.changed', s))
  return {
    service,
    handlers: {
      'updater.status': () => service.status(),
      'updater.check': () => service.check(),
      'updater.restartNow': () => service.restartNow(),
      'updater.setChannel': ({ channel }) => service.setChannel(channel)
    },
    close() {
      off()
      service.stop()
    }
  }
}
