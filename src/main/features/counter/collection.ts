// Driver collection: what is to return leaves with the driver against a manifest (M-…); missing
// or unexpected parcels need a reason. Each parcel that leaves gets a "collected" event.
import type { CollectionCloseResult, CollectionState } from '../../../shared/contract/counter'
import { GuichetError } from '../../../shared/result'
import { carrierName, type CounterContext } from './context'
import { textDocument } from './documents'

interface Manifest {
  expected: number[]
  scanned: number[]
  unexpected: string[]
}

export class Collection {
  constructor(private readonly c: CounterContext) {}

  start(driver: string): CollectionState {
    const c = this.c
    const now = c.now()
    const expected = (
      c.q(`SELECT id FROM counter_parcels WHERE state = 'to_return' ORDER BY slot, arrived_at`).all() as Array<{ id: number }>
    ).map((r) => r.id)
    const info = c
      .q(`INSERT INTO counter_sessions (kind, driver, clerk, opened_at, manifest) VALUES ('collection', ?, ?, ?, ?)`)
      .run(driver, c.clerk(), now, JSON.stringify({ expected, scanned: [], unexpected: [] } satisfies Manifest))
    const id = Number(info.lastInsertRowid)
    c.audit('collection_start', null, { session: id, driver, expected: expected.length })
    return this.state(id)
  }

  scan(sessionId: number, code: string): CollectionState & { matched: boolean } {
    const c = this.c
    const s = c.openSession(sessionId, 'collection')
    const { key, number } = c.codeOf(code)
    const m = JSON.parse(s.manifest ?? '{}') as Manifest
    const hit = c
      .q(`SELECT id FROM counter_parcels WHERE tracking_key = ? AND id IN (SELECT value FROM json_each(?))`)
      .get(key, JSON.stringify(m.expected)) as { id: number } | undefined
    if (hit) {
      if (!m.scanned.includes(hit.id)) m.scanned.push(hit.id)
    } else if (!m.unexpected.includes(number)) {
      m.unexpected.push(number)
    }
    c.q('UPDATE counter_sessions SET manifest = ? WHERE id = ?').run(JSON.stringify(m), sessionId)
    c.audit(hit ? 'collection_scan' : 'collection_unexpected', hit?.id ?? null, { session: sessionId, tracking: number })
    return { ...this.state(sessionId), matched: !!hit }
  }

  /** The driver signs; what was scanned leaves. Missing parcels stay and need a reason. */
  close(sessionId: number, signature?: string, overrideReason?: string): CollectionCloseResult {
    const c = this.c
    const s = c.openSession(sessionId, 'collection')
    const state = this.state(sessionId)
    if ((state.missing.length > 0 || state.unexpected.length > 0) && !overrideReason) {
      throw new GuichetError(
        'conflict',
        `${state.missing.length} missing and ${state.unexpected.length} unexpected: give a reason to close with these differences.`,
        { field: 'overrideReason' }
      )
    }
    const now = c.now()
    const no = this.number(sessionId, s.opened_at)
    c.d.db.transaction(() => {
      const upd = c.q(
        `UPDATE counter_parcels SET state = 'collected', collection_id = ?, collected_at = ? WHERE id = ? AND state = 'to_return'`
      )
      for (const id of state.scannedIds) {
        upd.run(sessionId, now, id)
        c.audit('collected', id, { session: sessionId })
        c.recordStep(c.row(id).shipment_id, { step: 'collected', at: now, document: no }, id)
      }
      c.q('UPDATE counter_sessions SET closed_at = ?, signature = ? WHERE id = ?').run(now, signature ?? null, sessionId)
      c.audit(
        overrideReason ? 'collection_close_override' : 'collection_close',
        null,
        { session: sessionId, missing: state.missing.map((p) => p.trackingNumber), unexpected: state.unexpected },
        overrideReason ?? null
      )
    })()
    const after = this.state(sessionId)
    const leaving = after.expected.filter((p) => after.scannedIds.includes(p.id))
    c.d.changed?.(leaving.map((p) => p.shipmentId).filter((x): x is number => x !== null))
    const L = c.doc()
    const { w } = L
    const lines = [
      L.code(c.pointLine()),
      `${L.time(now)} · ${c.clerk()} · ${w.driver} ${s.driver}`,
      '',
      ...leaving.map(
        (p) => `[x] ${p.origin === 'dropoff' ? w.returnTag : w.expiredTag} ${carrierName(p.carrier)} ${L.code(p.trackingNumber)}`
      ),
      ...after.missing.map((p) => `[ ] ${w.missingTag} ${L.code(p.trackingNumber)}`),
      ...after.unexpected.map((t) => `[!] ${w.notOnManifestTag} ${L.code(t)}`),
      '',
      w.handedToDriver(L.parcels(leaving.length)),
      // The manifest stays with the carrier and the desk: accepted differences belong on it.
      ...(overrideReason ? [L.label(w.differencesAccepted, overrideReason)] : [])
    ]
    return {
      state: after,
      manifest: textDocument(w.collectionTitle(no), lines, { widthMm: 210, signature: signature ?? null, lang: L.lang })
    }
  }

  /** M-…: the rank of this collection among the day's. */
  private number(sessionId: number, openedAt: number): string {
    const { start, end } = this.c.day(openedAt)
    const rank = (
      this.c
        .q(`SELECT count(*) AS n FROM counter_sessions WHERE kind = 'collection' AND opened_at >= ? AND opened_at < ? AND id <= ?`)
        .get(start, end, sessionId) as { n: number }
    ).n
    return this.c.docNumber('M', openedAt, rank)
  }

  state(sessionId: number): CollectionState {
    const c = this.c
    const s = c.sessionRow(sessionId)
    const m = JSON.parse(s.manifest ?? '{}') as Partial<Manifest>
    const ids = m.expected ?? []
    const rows = ids.length ? c.rowsWhere('id IN (SELECT value FROM json_each(?))', JSON.stringify(ids)) : []
    const byId = new Map(c.parcels(rows).map((p) => [p.id, p]))
    const expected = ids.map((id) => byId.get(id)).filter((p): p is NonNullable<typeof p> => !!p)
    const scannedIds = m.scanned ?? []
    return {
      session: c.session(sessionId),
      expected,
      scannedIds,
      unexpected: m.unexpected ?? [],
      missing: expected.filter((p) => !scannedIds.includes(p.id))
    }
  }
}
