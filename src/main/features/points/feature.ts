// The points feature as the backend mounts it: the point search service, the Swiss Post User ID
// lookup, creating a shipment to the chosen point (Swiss Post PickPost / My Post 24, Sendcloud
// service points) and setup diagnostics, each as an IPC handler of contract/points.ts.
import type { Database } from 'better-sqlite3'
import type { z } from 'zod'
import type { pointChannels, ShipmentToPointResult, UserIdLookupResult, PointsDiagnostics } from '../../../shared/contract/points'
import { GuichetError } from '../../../shared/result'
import type { ShipmentRepository } from '../../core/shipments/shipments.repo'
import type { CarrierAdapter } from '../../carriers/types'
import type { SendcloudAdapter } from '../../carriers/sendcloud/client'
import type { SwissPostAdapter } from '../../carriers/swisspost/client'
import { createPickPostShipment, keywordFor, lockerWarning } from '../../carriers/swisspost/order'
import type { Clock } from '../../platform/clock'
import type { EventBus } from '../../platform/events'
import type { Logger } from '../../platform/logger'
import { PointService, toDeliveryPoint, type KeyedPoint } from './service'

type PointChannel = keyof typeof pointChannels
export type PointHandlers = {
  [C in PointChannel]: (
    input: z.output<(typeof pointChannels)[C]['input']>
  ) => (typeof pointChannels)[C]['output'] | Promise<(typeof pointChannels)[C]['output']>
}

export interface PointsFeatureDeps {
  db: Database
  clock: Clock
  logger: Logger
  events?: EventBus
  repo: ShipmentRepository
  adapters(): readonly CarrierAdapter[]
  /** Keeps a carrier's own label file for printing (printing service); left out: Guichet's generated label prints. */
  saveCarrierLabel?(shipmentId: number, format: 'pdf' | 'zpl', bytes: Buffer, size: 'A6' | null, dpi: number | null): void
}

const isSwissPost = (a: CarrierAdapter | undefined): a is SwissPostAdapter =>
  !!a && a.carrier === 'swisspost' && typeof (a as SwissPostAdapter).lookupUserId === 'function'
const isSendcloud = (a: CarrierAdapter | undefined): a is SendcloudAdapter =>
  !!a && a.carrier === 'sendcloud' && typeof (a as SendcloudAdapter).createParcel === 'function'

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

export function createPointsFeature(d: PointsFeatureDeps): { service: PointService; handlers: PointHandlers } {
  const service = new PointService(d)
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
    const c = input.customer
    const name = `${c.firstName} ${c.lastName}`.trim()
    const now = d.clock.now()
    if (isSwissPost(a)) {
      const r = await createPickPostShipment(a, {
        orderReference: input.orderReference,
        point,
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
        sender: senderOf(a),
        ...(input.weightGrams ? { weightGrams: input.weightGrams } : {}),
        layout: input.layout,
        fileType: input.fileType
      })
      const id = d.db.transaction(() => {
        const sid = d.repo.insert({
          carrier: 'swisspost',
          account: a.account,
          trackingNumber: r.identCode,
          reference: input.orderReference,
          recipientName: name,
          recipientPhone: c.phone ?? null,
          point: toDeliveryPoint(point),
          unifiedStatus: 'ready_to_ship',
          weightGrams: input.weightGrams ?? null,
          // labels/model.ts draftFromShipment reads carrier_data.label: Name2, point vs billing address.
          carrierData: {
            label: r.draft,
            pickPost: { keyword: r.keyword, userId: r.user.userId, customerStatus: r.user.customerStatus },
            warnings: r.warnings
          },
          createdAt: now
        })
        d.db
          .prepare('INSERT INTO shipment_points (shipment_id, point_key, data, attached_at) VALUES (?, ?, ?, ?)')
          .run(sid, point.key, JSON.stringify(point), now)
        return sid
      })()
      d.events?.emit('shipment.changed', { ids: [id], reason: 'local' })
      d.logger.info('points.shipment_created', {
        carrier: 'swisspost',
        shipmentId: id,
        keyword: r.keyword,
        customerStatus: r.user.customerStatus,
        warnings: r.warnings.length
      })
      return {
        shipmentId: id,
        trackingNumber: r.identCode,
        carrier: 'swisspost',
        keyword: r.keyword,
        userId: r.user.userId,
        customerStatus: r.user.customerStatus,
        name2: r.name2,
        warnings: r.warnings
      }
    }
    if (isSendcloud(a)) {
      if (point.type === 'locker' && !input.postNumber)
        throw new GuichetError('invalid_input', "A locker needs the customer's locker account number (post number).", {
          field: 'postNumber'
        })
      const parcel = await a.createParcel({
        externalReference: input.orderReference,
        orderNumber: input.orderReference,
        name,
        address: c.street ?? point.street ?? '',
        ...(c.houseNo ? { houseNumber: c.houseNo } : {}),
        city: c.city,
        postalCode: c.zip,
        country: c.country,
        email: c.email,
        ...(c.phone ? { telephone: c.phone } : {}),
        servicePointId: Number(point.id),
        ...(input.postNumber ? { postNumber: input.postNumber } : {}),
        ...(input.shippingMethodId ? { shippingMethodId: input.shippingMethodId } : {}),
        ...(input.weightGrams ? { weightKg: input.weightGrams / 1000 } : {})
      })
      const id = d.db.transaction(() => {
        const sid = d.repo.insert({
          carrier: 'sendcloud',
          account: a.account,
          trackingNumber: parcel.trackingNumber,
          reference: input.orderReference,
          recipientName: name,
          recipientPhone: c.phone ?? null,
          point: toDeliveryPoint(point),
          unifiedStatus: 'ready_to_ship',
          weightGrams: input.weightGrams ?? null,
          carrierData: { sendcloudParcelId: parcel.id, carrier: parcel.carrier, statusId: parcel.statusId },
          createdAt: now
        })
        d.db
          .prepare('INSERT INTO shipment_points (shipment_id, point_key, data, attached_at) VALUES (?, ?, ?, ?)')
          .run(sid, point.key, JSON.stringify(point), now)
        return sid
      })()
      const warnings: string[] = []
      if (d.saveCarrierLabel) {
        // Sendcloud's A6 PDF carries the carrier's own barcodes: that is the label to print.
        try {
          const doc = await a.labelDocument(parcel.id, { format: 'pdf' })
          d.saveCarrierLabel(id, 'pdf', doc.data, 'A6', null)
        } catch (e) {
          warnings.push(
            `The shipment is created; its Sendcloud label could not be fetched yet (${e instanceof GuichetError ? e.code : 'error'}). Print it from the shipment later.`
          )
        }
      }
      d.events?.emit('shipment.changed', { ids: [id], reason: 'local' })
      return {
        shipmentId: id,
        trackingNumber: parcel.trackingNumber,
        carrier: 'sendcloud',
        keyword: null,
        userId: null,
        customerStatus: null,
        name2: null,
        warnings
      }
    }
    throw new GuichetError('unsupported', `Creating a shipment to a ${point.carrier} point is not available from this desk yet.`, {
      field: 'pointKey'
    })
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
  return { service, handlers }
}
