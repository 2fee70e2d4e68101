// The points feature as the backend mounts it: the point search service, the Swiss Post User ID
// lookup, creating a shipment to the chosen point (Swiss Post PickPost / My Post 24, Sendcloud
// service points) and setup diagnostics, each as an IPC handler of contract/points.ts.
import type { Database } from 'better-sqlite3'
import type { z } from 'zod'
import type { pointChannels, ShipmentToPointResult, UserIdLookupResult, PointsDiagnostics } from '../../../shared/contract/points'
import { GuichetError } from '../../../shared/result'
import type { LabelWarning } from '../../../shared/label-warnings'
import type { ShipmentRepository } from '../../core/shipments/shipments.repo'
import type { CarrierAdapter } from '../../carriers/types'
import type { SwissPostAdapter } from '../../carriers/swisspost/client'
import { keywordFor, lockerWarning } from '../../carriers/swisspost/order'
import type { Outbox } from '../../core/outbox/outbox'
import type { CustomerStatus } from '../../../shared/points'
import type { Clock } from '../../platform/clock'
import type { EventBus } from '../../platform/events'
import type { Logger } from '../../platform/logger'
import { PointService, type KeyedPoint } from './service'
import { createToPointViaOutbox, isSendcloud, isSwissPost, toPointKinds } from './to-point'

type PointChannel = keyof typeof pointChannels
type PointHandlers = {
  [C in PointChannel]: (
    input: z.output<(typeof pointChannels)[C]['input']>
  ) => (typeof pointChannels)[C]['output'] | Promise<(typeof pointChannels)[C]['output']>
}

interface PointsFeatureDeps {
  db: Database
  clock: Clock
  logger: Logger
  events?: EventBus
  repo: ShipmentRepository
  adapters(): readonly CarrierAdapter[]
  /** Shipments to a point are created at the carrier through the outbox (its kinds are registered here). */
  outbox: Outbox
  /** Keeps a carrier's own label file for printing (printing service); left out: Guichet's generated label prints. */
  saveCarrierLabel?(shipmentId: number, format: 'pdf' | 'zpl', bytes: Buffer, size: 'A6' | null, dpi: number | null): void
}

/** The sender printed on Swiss Post labels: the account's options.sender (name1, street, zip, city). */
function senderOf(a: SwissPostAdapter): { name1: string; street: string; zip: string; city: string } {
  const s = a.sender()
  if (!s)
    throw new GuichetError(
      'invalid_input',
      `The sender address of ${a.carrier} account "${a.account}" is not set (name, street, postal code, city).`,
      { field: 'sender' }
    )
  return s
}

interface PointsFeature {
  service: PointService
  handlers: PointHandlers
  close(): void
}

export function createPointsFeature(d: PointsFeatureDeps): PointsFeature {
  const service = new PointService(d)
  const kinds = toPointKinds({ ...d, points: service })
  for (const k of Object.values(kinds)) if (!d.outbox.kinds.get(k.kind)) d.outbox.kinds.register(k)
  const adapterOf = (p: KeyedPoint) => d.adapters().find((a) => a.carrier === p.carrier && a.account === p.account)

  async function userId(input: z.output<(typeof pointChannels)['swisspost.userId']['input']>): Promise<UserIdLookupResult> {
    const point = await service.get(input.pointKey)
    const sp = adapterOf(point)
    if (point.carrier !== 'swisspost' || !isSwissPost(sp))
      throw new GuichetError('invalid_input', 'The User ID is a Swiss Post PickPost / My Post 24 matter: pick a Swiss Post point.', {
        field: 'pointKey'
      })
    const keyword = keywordFor(point)
    const c = input.customer
    const r = await sp.lookupUserId({
      orderReference: input.orderReference,
      service: keyword,
      customer: {
        firstName: c.firstName,
        lastName: c.lastName,
        email: c.email,
        zip: c.zip,
        city: c.city,
        ...(c.street ? { street: c.street } : {}),
        ...(c.houseNo ? { houseNo: c.houseNo } : {}),
        ...(c.phone ? { mobile: c.phone } : {})
      }
    })
    return { ...r, keyword, warning: lockerWarning(keyword, r) }
  }

  async function createToPoint(
    input: z.output<(typeof pointChannels)['shipments.createToPoint']['input']>
  ): Promise<ShipmentToPointResult> {
    const point = await service.get(input.pointKey)
    const a = adapterOf(point)
    if (!a)
      throw new GuichetError('not_found', `No ${point.carrier} account "${point.account}" is configured on this desk.`, {
        field: 'pointKey'
      })
    if (!isSwissPost(a) && !isSendcloud(a))
      throw new GuichetError('unsupported', `Creating a shipment to a ${point.carrier} point is not available from this desk yet.`, {
        field: 'pointKey'
      })
    if (isSendcloud(a) && point.type === 'locker' && !input.postNumber)
      throw new GuichetError('invalid_input', "A locker needs the customer's locker account number (post number).", {
        field: 'postNumber'
      })
    const sender = isSwissPost(a) ? senderOf(a) : null
    const made = await createToPointViaOutbox({ ...d, points: service, kinds }, a, input, point, sender)
    if (isSwissPost(a)) {
      const r = made.result as {
        keyword: 'PickPost' | 'My Post 24'
        userId: string
        customerStatus: CustomerStatus
        name2: string
        warnings: string[]
      }
      return {
        shipmentId: made.shipmentId,
        trackingNumber: made.trackingNumber,
        carrier: 'swisspost',
        keyword: r.keyword,
        userId: r.userId,
        customerStatus: r.customerStatus,
        name2: r.name2,
        warnings: swissPostWarnings(r)
      }
    }
    const warnings: LabelWarning[] = []
    if (d.saveCarrierLabel && isSendcloud(a)) {
      // Sendcloud's A6 PDF carries the carrier's own barcodes: that is the label to print.
      try {
        const doc = await a.labelDocument((made.result as { parcelId: number }).parcelId, { format: 'pdf' })
        d.saveCarrierLabel(made.shipmentId, 'pdf', doc.data, 'A6', null)
      } catch (e) {
        warnings.push({
          code: 'label_not_fetched',
          params: { carrier: 'Sendcloud', error: e instanceof GuichetError ? e.code : 'internal' }
        })
      }
    }
    return {
      shipmentId: made.shipmentId,
      trackingNumber: made.trackingNumber,
      carrier: 'sendcloud',
      keyword: null,
      userId: null,
      customerStatus: null,
      name2: null,
      warnings
    }
  }

  async function diagnose(): Promise<PointsDiagnostics> {
    const carriers: PointsDiagnostics['carriers'] = []
    for (const a of d.adapters()) {
      const pointsSearch = a.capabilities.has('points_search')
      if (isSendcloud(a)) {
        const r = await a.diagnose()
        carriers.push({
          carrier: a.carrier,
          account: a.account,
          pointsSearch,
          credentialsValid: r.credentialsValid,
          servicePointsEnabled: r.servicePointsEnabled,
          carriersEnabled: r.carriersEnabled,
          lastErrors: r.lastErrors.map((e) => ({ ...e, at: new Date(e.at).toISOString() })),
          problems: r.problems
        })
      } else if (isSwissPost(a)) {
        const r = await a.checkCredentials().catch((e: Error) => ({ valid: null, message: e.message }))
        carriers.push({
          carrier: a.carrier,
          account: a.account,
          pointsSearch,
          credentialsValid: r.valid,
          servicePointsEnabled: pointsSearch,
          carriersEnabled: ['swisspost'],
          lastErrors: [],
          problems: r.valid === false ? ['The Swiss Post client id / secret are refused.'] : r.valid === null ? [r.message] : []
        })
      } else if (pointsSearch) {
        carriers.push({
          carrier: a.carrier,
          account: a.account,
          pointsSearch,
          credentialsValid: null,
          servicePointsEnabled: true,
          carriersEnabled: [a.carrier],
          lastErrors: [],
          problems: []
        })
      }
    }
    return { carriers }
  }

  const handlers: PointHandlers = {
    'points.search': (q) => service.search(q),
    'points.get': ({ key }) => service.get(key),
    'points.attach': ({ shipmentId, key }) => service.attach(shipmentId, key),
    'points.diagnose': () => diagnose(),
    'swisspost.userId': (input) => userId(input),
    'shipments.createToPoint': (input) => createToPoint(input)
  }
  return { service, handlers, close: () => undefined }
}

/**
 * Swiss Post's order answer carries sentences: our own locker note becomes its code, the rest are
 * Swiss Post's words (its API's warnings), shown as the carrier wrote them.
 */
function swissPostWarnings(r: { keyword: 'PickPost' | 'My Post 24'; customerStatus: CustomerStatus; warnings: string[] }): LabelWarning[] {
  const ours = lockerWarning(r.keyword, { verified: false, customerStatus: r.customerStatus })
  return r.warnings.map((text): LabelWarning =>
    text === ours
      ? { code: 'locker_unverified', params: { status: r.customerStatus } }
      : { code: 'carrier_note', params: { carrier: 'Swiss Post', text } }
  )
}
