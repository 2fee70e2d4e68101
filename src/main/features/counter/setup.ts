import { join } from 'node:path'
import type { Database } from 'better-sqlite3'
import type { counterChannels } from '../../../shared/contract/counter'
import { COUNTER_STEP_STATUS, counterNative } from '../../../shared/counter'
import type { Handlers } from '../../platform/ipc/dispatch'
import type { OutboxFeature } from '../../core/outbox/feature'
import type { AdapterFor } from '../../core/outbox/worker'
import { DAY, type Clock } from '../../platform/clock'
import type { EventBus } from '../../platform/events'
import type { Logger } from '../../platform/logger'
import type { KeyValueStore } from '../../core/settings/settings'
import { canConfirmHandover, handoverKind } from './outbox-kind'
import { suggestSlot } from './core'
import { CounterService } from './service'
import { ShipmentRepository } from '../../core/shipments/shipments.repo'

type CounterChannel = keyof typeof counterChannels

interface CounterSetupOptions {
  db: Database
  dataDir: string
  clock: Clock
  logger: Logger
  events: EventBus
  settingsStore: KeyValueStore
  /** Hand-overs and returns reach the carrier through the outbox (its hand-over kind is registered here). */
  outbox: Pick<OutboxFeature, 'service' | 'kinds' | 'actions'>
  adapterFor: AdapterFor
  /** This desk's point id (settings.point). */
  pointId: () => string | null
  /** The shipments repository (owner of shipments and their timeline); one is made over db if left out. */
  shipments?: ShipmentRepository
  random?: () => number
}

export interface CounterFeature {
  service: CounterService
  handlers: Pick<Handlers, CounterChannel>
  close(): void
}

/** The demo shipment that has waited on the demo desk's shelf past its hold period. */
const DEMO_SHELVED = { tracking: 'ERMA2611100003', daysAgo: 10 } as const

/**
 * The demo desk starts with one parcel already on the shelf for 10 days (Express Relais holds 7),
 * so the expiry and return steps can be shown at once. Once per store, only when the demo is seeded.
 */
function seedCounterDemo(db: Database, now: number, shipments = new ShipmentRepository(db)): boolean {
  if (!db.prepare("SELECT 1 FROM meta WHERE key = 'demo_seeded_at'").get()) return false
  if (db.prepare("SELECT 1 FROM meta WHERE key = 'counter_demo_seeded_at'").get()) return false
  const s = shipments.latestByTrackingKey(DEMO_SHELVED.tracking)
  db.transaction(() => {
    if (s) {
      const arrived = now - DEMO_SHELVED.daysAgo * DAY
      const slot = suggestSlot(s.carrier, arrived, s.recipientName)
      const info = db
        .prepare(
          `INSERT INTO counter_parcels (tracking_key, tracking_number, shipment_id, carrier, origin, state, slot, pickup_code, recipient_name, recipient_phone, arrived_at)
        VALUES (?, ?, ?, ?, 'driver', 'on_shelf', ?, '482913', ?, ?, ?)`
        )
        .run(DEMO_SHELVED.tracking, s.trackingNumber, s.id, s.carrier, slot, s.recipientName, s.recipientPhone, arrived)
      db.prepare("INSERT INTO counter_audit (at, clerk, action, detail) VALUES (?, 'demo', 'demo_seed', ?)").run(
        now,
        JSON.stringify({ tracking: s.trackingNumber })
      )
      // Its shipment's timeline says it reached this desk, as a real check-in would.
      const step = COUNTER_STEP_STATUS.checkin
      shipments.appendEvents(
        s.id,
        [
          {
            at: arrived,
            unifiedStatus: step.unified,
            kind: step.kind,
            nativeStatus: counterNative('checkin'),
            location: slot,
            source: 'counter',
            dedupeKey: `counter|checkin|${Number(info.lastInsertRowid)}`
          }
        ],
        now
      )
    }
    db.prepare("INSERT INTO meta (key, value) VALUES ('counter_demo_seeded_at', ?)").run(String(now))
  })()
  return !!s
}

export function createCounterFeature(o: CounterSetupOptions): CounterFeature {
  // The counter's tables (schema 7) come with openDatabase's migrations, like every table.
  if (!o.outbox.kinds.get(handoverKind.kind)) o.outbox.kinds.register(handoverKind)
  const outbox = o.outbox.service
  const shipments = o.shipments ?? new ShipmentRepository(o.db)
  seedCounterDemo(o.db, o.clock.now(), shipments)
  const accountOf = (shipmentId: number): string => shipments.get(shipmentId)?.account ?? 'default'

  const service = new CounterService({
    db: o.db,
    shipments,
    clock: o.clock,
    logger: o.logger,
    settingsStore: o.settingsStore,
    photoDir: join(o.dataDir, 'counter-photos'),
    pointId: o.pointId,
    ...(o.random ? { random: o.random } : {}),
    queueHandover: ({ shipmentId, carrier, handoverId, at }) => {
      const account = accountOf(shipmentId)
      if (!canConfirmHandover(o.adapterFor(carrier, account))) return // local only: the receipt says so
      const tracking = shipments.get(shipmentId)!.trackingNumber
      outbox.enqueue(handoverKind, { shipmentId, carrier, account, actedAt: at, payload: { trackingNumber: tracking, handoverId } })
    },
    handoverOutbox: (shipmentId, handoverId) => outbox.rowFor(handoverKind, shipmentId, (p) => p.handoverId === handoverId),
    queueReturn: ({ shipmentId, carrier }) => {
      const adapter = o.adapterFor(carrier, accountOf(shipmentId))
      if (adapter && typeof adapter.requestReturn !== 'function') return { outbox: null, reason: 'no_api' }
      const item = o.outbox.actions.requestReturn(shipmentId)
      return { outbox: item, reason: adapter ? 'queued' : 'waits_account' }
    },
    changed: (ids) => o.events.emit('shipment.changed', { ids, reason: 'counter' })
  })

  const handlers: Pick<Handlers, CounterChannel> = {
    'counter.config': () => service.config(),
    'counter.setConfig': (i) => service.setConfig(i),
    'counter.checkinStart': ({ driver, announced }) => service.checkinStart(driver, announced),
    'counter.checkinScan': (i) => service.checkinScan(i),
    'counter.checkinClose': ({ sessionId, overrideReason }) => service.checkinClose(sessionId, overrideReason),
    'counter.setSlot': ({ parcelId, slot }) => service.setSlot(parcelId, slot),
    'counter.attachPhoto': ({ parcelId, photo, note }) => service.attachPhoto(parcelId, photo, note),
    // The demo may be switched on after start (first run): its shelved parcel comes with the first look at the shelf.
    'counter.stock': () => (seedCounterDemo(o.db, o.clock.now(), shipments), service.stock()),
    'counter.find': ({ query }) => service.find(query),
    'counter.handover': (i) => service.handover(i),
    'counter.expired': () => (seedCounterDemo(o.db, o.clock.now(), shipments), service.expired()),
    'counter.prepareReturn': ({ parcelIds }) => service.prepareReturn(parcelIds),
    'counter.dropoff': ({ code, slot }) => service.dropoff(code, slot),
    'counter.collectionStart': ({ driver }) => service.collectionStart(driver),
    'counter.collectionScan': ({ sessionId, code }) => service.collectionScan(sessionId, code),
    'counter.collectionClose': ({ sessionId, signature, overrideReason }) => service.collectionClose(sessionId, signature, overrideReason),
    'counter.endOfDay': ({ day }) => service.endOfDay(day),
    'counter.audit': ({ limit }) => service.auditLog(limit)
  }
  return { service, handlers, close: () => undefined }
}
