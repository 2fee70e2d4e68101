// A shipment to a chosen point (Swiss Post PickPost / My Post 24, a Sendcloud service point),
// created at the carrier through the outbox like every carrier write: the request is on disk
// before the carrier is called, the parcel it answers and the local shipment are recorded in one
// durable transaction, and a crash in between is reconciled on the next start, never forgotten.
// The clerk waits for the answer (the tracking number goes on the screen), so the row is sent at
// once (Outbox.sendNow); offline, it stays queued and the shipment appears when the carrier answers.
import { z } from 'zod'
import { pointChannels } from '../../../shared/contract/points'
import type { LabelDraft } from '../../../shared/label'
import { CUSTOMER_STATUSES, POINT_KINDS } from '../../../shared/points'
import { GuichetError, ERROR_CODES, type ErrorCode } from '../../../shared/result'
import { CarrierError, type CarrierAdapter } from '../../carriers/types'
import type { SendcloudAdapter } from '../../carriers/sendcloud/client'
import type { SwissPostAdapter } from '../../carriers/swisspost/client'
import { createPickPostShipment } from '../../carriers/swisspost/order'
import type { Outbox } from '../../core/outbox/outbox'
import { defineKind, type OutboxRow } from '../../core/outbox/types'
import type { ShipmentRepository } from '../../core/shipments/shipments.repo'
import { trackingKey } from '../../../shared/scan'
import type { Clock } from '../../platform/clock'
import type { EventBus } from '../../platform/events'
import type { Logger } from '../../platform/logger'
import { toDeliveryPoint, type KeyedPoint, type PointService } from './service'

export const isSwissPost = (a: CarrierAdapter | null | undefined): a is SwissPostAdapter =>
  !!a && a.carrier === 'swisspost' && typeof (a as SwissPostAdapter).lookupUserId === 'function'
export const isSendcloud = (a: CarrierAdapter | null | undefined): a is SendcloudAdapter =>
  !!a && a.carrier === 'sendcloud' && typeof (a as SendcloudAdapter).createParcel === 'function'

/** The point as it was when the clerk chose it: the parcel goes there even if the cache changes. */
const pointSnapshot = z.lazy(() =>
  z
    .looseObject({
      key: z.string().min(3),
      id: z.string().min(1),
      carrier: z.string(),
      account: z.string(),
      name: z.string(),
      type: z.enum(POINT_KINDS),
      street: z.string().nullable(),
      houseNo: z.string().nullable(),
      zip: z.string().nullable(),
      city: z.string(),
      country: z.string(),
      services: z.array(z.string())
    })
    .transform((p) => p as unknown as KeyedPoint)
)

export const toPointPayload = z.object({
  /** The clerk's request, as the contract checked it. */
  request: pointChannels['shipments.createToPoint'].input,
  point: pointSnapshot,
  /** Swiss Post: the sender printed on the label, read from the account when the row was queued. */
  sender: z.object({ name1: z.string(), street: z.string(), zip: z.string(), city: z.string() }).nullable()
})
type ToPointPayload = z.output<typeof toPointPayload>

const swissPostAnswer = z.lazy(() =>
  z.object({
    trackingNumber: z.string().min(1),
    keyword: z.enum(['PickPost', 'My Post 24']),
    userId: z.string(),
    customerStatus: z.enum([...CUSTOMER_STATUSES, 'UNKNOWN']),
    name2: z.string(),
    warnings: z.array(z.string()),
    draft: z.custom<LabelDraft>((v) => typeof v === 'object' && v !== null)
  })
)
const sendcloudAnswer = z.lazy(() =>
  z.object({
    parcelId: z.number().int(),
    trackingNumber: z.string().min(1),
    carrier: z.string(),
    statusId: z.number()
  })
)

interface ToPointDeps {
  clock: Clock
  logger: Logger
  events?: EventBus
  repo: ShipmentRepository
  points: PointService
}

const nameOf = (p: ToPointPayload) => `${p.request.customer.firstName} ${p.request.customer.lastName}`.trim()

/** The local shipment for the parcel the carrier created; runs inside the outbox's transaction. */
function recordShipment(d: ToPointDeps, row: OutboxRow, p: ToPointPayload, trackingNumber: string, carrierData: unknown): number {
  const existing = d.repo.byTrackingKey(trackingKey(trackingNumber)).find((s) => s.carrier === row.carrier)
  if (existing) return existing.id
  const now = d.clock.now()
  const sid = d.repo.insert({
    carrier: row.carrier,
    account: row.account,
    trackingNumber,
    reference: p.request.orderReference,
    recipientName: nameOf(p),
    recipientPhone: p.request.customer.phone ?? null,
    point: toDeliveryPoint(p.point),
    unifiedStatus: 'ready_to_ship',
    weightGrams: p.request.weightGrams ?? null,
    carrierData: carrierData as Record<string, unknown>,
    createdAt: now
  })
  d.points.recordPoint(sid, p.point, now)
  d.events?.emit('shipment.changed', { ids: [sid], reason: 'local' })
  return sid
}

/**
 * Swiss Post: a label call is not repeat-safe (a second call makes a second ident code) and the API
 * has no way to ask for a label by our reference, so a row a crash left inflight stops for the
 * clerk ("check with Swiss Post"), visible on the Pending writes screen.
 */
const swissPostToPointKind = (d: ToPointDeps) =>
  defineKind({
    kind: 'swisspost_to_point',
    payload: toPointPayload,
    repeatSafe: false,
    summary: (p) => `Swiss Post parcel to ${p.point.name} (${p.request.orderReference})`,
    details: (p) => ({ point: p.point.name, reference: p.request.orderReference }),
    async send({ adapter, payload: p }) {
      if (!isSwissPost(adapter)) throw new CarrierError('unsupported', 'This account cannot create Swiss Post parcels.')
      if (!p.sender) throw new GuichetError('invalid_input', 'The sender address is not set.', { field: 'sender' })
      const c = p.request.customer
      const r = await createPickPostShipment(adapter, {
        orderReference: p.request.orderReference,
        point: p.point,
        customer: {
          firstName: c.firstName,
          lastName: c.lastName,
          email: c.email,
          zip: c.zip,
          city: c.city,
          phone: c.phone ?? null,
          street: c.street ?? null,
          houseNo: c.houseNo ?? null
        },
        sender: p.sender,
        ...(p.request.weightGrams ? { weightGrams: p.request.weightGrams } : {}),
        layout: p.request.layout,
        fileType: p.request.fileType
      })
      return {
        trackingNumber: r.identCode,
        keyword: r.keyword,
        userId: r.user.userId,
        customerStatus: r.user.customerStatus,
        name2: r.name2,
        warnings: r.warnings,
        draft: r.draft
      } satisfies z.input<typeof swissPostAnswer>
    },
    onSent(_db, row, p, result) {
      const r = swissPostAnswer.parse(result)
      // labels/model.ts draftFromShipment reads carrier_data.label: Name2, point vs billing address.
      const carrierData = {
        label: r.draft,
        pickPost: { keyword: r.keyword, userId: r.userId, customerStatus: r.customerStatus },
        warnings: r.warnings
      }
      const id = recordShipment(d, row, p, r.trackingNumber, carrierData)
      d.logger.info('points.shipment_created', {
        carrier: 'swisspost',
        shipmentId: id,
        keyword: r.keyword,
        customerStatus: r.customerStatus,
        warnings: r.warnings.length
      })
    }
  })

/**
 * Sendcloud: external_reference is unique per integration and the client finds the first parcel
 * when a create repeats (sendcloud/client.ts), so a second send has the effect of one: a row a
 * crash left inflight is simply sent again and the parcel it created is recorded.
 */
const sendcloudToPointKind = (d: ToPointDeps) =>
  defineKind({
    kind: 'sendcloud_to_point',
    payload: toPointPayload,
    repeatSafe: true,
    summary: (p) => `Sendcloud parcel to ${p.point.name} (${p.request.orderReference})`,
    details: (p) => ({ point: p.point.name, reference: p.request.orderReference }),
    async send({ adapter, payload: p }) {
      if (!isSendcloud(adapter)) throw new CarrierError('unsupported', 'This account cannot create Sendcloud parcels.')
      const c = p.request.customer
      const parcel = await adapter.createParcel({
        externalReference: p.request.orderReference,
        orderNumber: p.request.orderReference,
        name: nameOf(p),
        address: c.street ?? p.point.street ?? '',
        ...(c.houseNo ? { houseNumber: c.houseNo } : {}),
        city: c.city,
        postalCode: c.zip,
        country: c.country,
        email: c.email,
        ...(c.phone ? { telephone: c.phone } : {}),
        servicePointId: Number(p.point.id),
        ...(p.request.postNumber ? { postNumber: p.request.postNumber } : {}),
        ...(p.request.shippingMethodId ? { shippingMethodId: p.request.shippingMethodId } : {}),
        ...(p.request.weightGrams ? { weightKg: p.request.weightGrams / 1000 } : {})
      })
      return {
        parcelId: parcel.id,
        trackingNumber: parcel.trackingNumber,
        carrier: parcel.carrier,
        statusId: parcel.statusId
      } satisfies z.input<typeof sendcloudAnswer>
    },
    onSent(_db, row, p, result) {
      const r = sendcloudAnswer.parse(result)
      recordShipment(d, row, p, r.trackingNumber, { sendcloudParcelId: r.parcelId, carrier: r.carrier, statusId: r.statusId })
    }
  })

type ToPointKinds = ReturnType<typeof toPointKinds>
export const toPointKinds = (d: ToPointDeps) => ({ swisspost: swissPostToPointKind(d), sendcloud: sendcloudToPointKind(d) })

const asErrorCode = (code: string | null | undefined): ErrorCode =>
  (ERROR_CODES as readonly string[]).includes(code ?? '') ? (code as ErrorCode) : 'carrier_error'

/**
 * Queues the shipment's creation and sends it at once. A double click, or the clerk asking again
 * while the first is still queued (offline), sends the same row, never a second parcel.
 */
export async function createToPointViaOutbox(
  d: ToPointDeps & { outbox: Outbox; kinds: ToPointKinds },
  adapter: CarrierAdapter,
  request: ToPointPayload['request'],
  point: KeyedPoint,
  sender: ToPointPayload['sender']
): Promise<{ shipmentId: number; trackingNumber: string; result: unknown }> {
  const kind = isSwissPost(adapter) ? d.kinds.swisspost : d.kinds.sendcloud
  const open = d.outbox.find(
    kind,
    (p, r) =>
      (r.state === 'pending' || r.state === 'inflight') &&
      r.carrier === adapter.carrier &&
      r.account === adapter.account &&
      p.request.orderReference === request.orderReference
  )
  if (open?.state === 'inflight') throw new GuichetError('conflict', 'This shipment is being created right now; wait for the answer.')
  if (open && JSON.stringify((open.payload as { request: unknown }).request) !== JSON.stringify(request))
    throw new GuichetError(
      'conflict',
      'A shipment with this order reference is still waiting to be created (Pending writes): discard it there first.',
      { field: 'orderReference' }
    )
  const row =
    open ??
    d.outbox.enqueue(kind, {
      shipmentId: null,
      carrier: adapter.carrier,
      account: adapter.account,
      actedAt: d.clock.now(),
      payload: { request, point, sender }
    })
  const { outcome, error } = await d.outbox.sendNow(row.id)
  const after = d.outbox.get(row.id)!
  if (outcome === 'sent' || after.state === 'sent') {
    const trackingNumber = (after.result as { trackingNumber: string }).trackingNumber
    const shipment = d.repo.byTrackingKey(trackingKey(trackingNumber)).find((s) => s.carrier === adapter.carrier)
    if (!shipment) throw new GuichetError('internal', `The ${adapter.carrier} parcel ${trackingNumber} was created but not recorded.`)
    return { shipmentId: shipment.id, trackingNumber, result: after.result }
  }
  if (outcome === 'failed') {
    // Refused while the clerk watched: the refusal is on their screen and they correct the form;
    // nothing is left waiting in Pending writes.
    d.outbox.dropRefused(row.id, d.clock.now())
    if (error instanceof GuichetError) throw error
  }
  const code = error instanceof GuichetError ? error.code : asErrorCode(after.lastErrorCode)
  throw new GuichetError(code, after.lastError ?? 'The carrier did not answer.', {
    retryable: after.state === 'pending'
  })
}
