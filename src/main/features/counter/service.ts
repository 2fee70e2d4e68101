// The counter's day: parcels in from a driver, on the shelf, out to customers, back to the driver.
// Everything is written locally at once, with the clerk's own time (so it works offline); each
// step becomes an event of its shipment's timeline (through the shipments repository), carrier
// writes go through the outbox, and every step leaves an audit row. One class per step; this
// facade is what the feature's handlers call.
import type { CarrierId } from '../../../shared/domain'
import type { CounterConfig } from '../../../shared/contract/counter'
import { Checkin } from './checkin'
import { Collection } from './collection'
import { CLERK_KEY, CounterContext, HOLD_DAYS_KEY, type CounterDeps } from './context'
import { Day } from './day'
import { Handover, type HandoverInput } from './handover'
import { Returns } from './returns'
import { Shelf } from './shelf'

export { CLERK_KEY, HOLD_DAYS_KEY, type CounterDeps } from './context'

export class CounterService {
  private readonly c: CounterContext
  readonly checkin: Checkin
  readonly shelf: Shelf
  readonly handovers: Handover
  readonly returns: Returns
  readonly collection: Collection
  readonly day: Day

  constructor(deps: CounterDeps) {
    this.c = new CounterContext(deps)
    this.checkin = new Checkin(this.c)
    this.shelf = new Shelf(this.c)
    this.handovers = new Handover(this.c)
    this.returns = new Returns(this.c)
    this.collection = new Collection(this.c)
    this.day = new Day(this.c)
  }

  config(): CounterConfig {
    return this.c.config()
  }

  setConfig(input: { clerk?: string; holdDays?: Partial<Record<CarrierId, number>> }): CounterConfig {
    const before = this.c.config()
    const store = this.c.d.settingsStore
    if (input.clerk !== undefined) store.set(CLERK_KEY, input.clerk)
    if (input.holdDays) store.set(HOLD_DAYS_KEY, { ...before.holdDays, ...input.holdDays })
    const after = this.c.config()
    this.c.audit('config', null, { clerk: after.clerk, holdDays: input.holdDays ?? null })
    return after
  }

  // The calls by their historical names (handlers, tests and the bench use them).
  checkinStart = (driver: string, announced?: number) => this.checkin.start(driver, announced)
  checkinScan = (input: Parameters<Checkin['scan']>[0]) => this.checkin.scan(input)
  checkinClose = (sessionId: number, overrideReason?: string) => this.checkin.close(sessionId, overrideReason)
  setSlot = (parcelId: number, slot: string) => this.checkin.setSlot(parcelId, slot)
  attachPhoto = (parcelId: number, photo: string, note?: string) => this.checkin.attachPhoto(parcelId, photo, note)
  stock = () => this.shelf.stock()
  find = (query: string) => this.shelf.find(query)
  handover = (input: HandoverInput) => this.handovers.handover(input)
  expired = () => this.returns.expired()
  prepareReturn = (parcelIds: number[]) => this.returns.prepareReturn(parcelIds)
  dropoff = (code: string, slot?: string) => this.returns.dropoff(code, slot)
  collectionStart = (driver: string) => this.collection.start(driver)
  collectionScan = (sessionId: number, code: string) => this.collection.scan(sessionId, code)
  collectionClose = (sessionId: number, signature?: string, overrideReason?: string) =>
    this.collection.close(sessionId, signature, overrideReason)
  collectionState = (sessionId: number) => this.collection.state(sessionId)
  endOfDay = (day?: string) => this.day.endOfDay(day)
  auditLog = (limit: number) => this.day.auditLog(limit)
  matchUnmatched = () => this.c.matchUnmatched()
  parcel = (id: number) => this.c.parcel(id)
}
