import { z } from 'zod'
import { CARRIER_NAMES } from '../../../shared/domain'
import { CarrierError, type CarrierAdapter } from '../../carriers/types'
import { defineKind } from '../../core/outbox/types'

/**
 * A carrier call that records "handed to the customer at the pickup point". No carrier Guichet
 * speaks to documents one (CONTRACTS.md: ECOTRACK, Express Relais, Sendcloud, Swiss Post and the
 * Indian aggregators only let us read a "collected" status), so no adapter implements it today and
 * the counter records hand-overs locally and says so. An adapter that gains such an endpoint adds
 * this method; this kind then carries the hand-over through the outbox, idempotency key included.
 */
interface HandoverCapable {
  confirmHandover(trackingNumber: string, opts: { idempotencyKey: string; actedAt: number }): Promise<void>
}

export const canConfirmHandover = (a: CarrierAdapter | null | undefined): a is CarrierAdapter & HandoverCapable =>
  !!a && typeof (a as Partial<HandoverCapable>).confirmHandover === 'function'

const handoverPayload = z.lazy(() =>
  z.object({
    trackingNumber: z.string().min(1).max(64),
    /** The counter's receipt number (counter_handovers.id). */
    handoverId: z.number().int().positive()
  })
)

export const handoverKind = defineKind({
  kind: 'counter_handover',
  payload: handoverPayload,
  // Handing over twice is still one hand-over: a state change that cannot double.
  repeatSafe: true,
  summary: (p) => `Handed over at the counter (receipt #${p.handoverId})`,
  details: (p) => ({ receipt: String(p.handoverId) }),
  async send({ adapter, row, payload, actedAt }) {
    if (!canConfirmHandover(adapter)) {
      throw new CarrierError('unsupported', `${CARRIER_NAMES[row.carrier] ?? row.carrier} does not accept hand-overs through its API.`)
    }
    await adapter.confirmHandover(payload.trackingNumber, { idempotencyKey: row.idempotencyKey, actedAt })
    return { accepted: true }
  }
})
