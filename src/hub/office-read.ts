// What head office reads: the tables the push transaction keeps (parcels, writes), the leases
// and the desks. Read-only; every answer has the shape of src/shared/hub/office.ts.
import type pg from 'pg'
import {
  OFFICE_POINT_PARCELS_MAX,
  type OfficeAccountRow,
  type OfficeDeskRow,
  type OfficeNetwork,
  type OfficePointStock,
  type OfficeWriteRow,
  type PointStockRow
} from '../shared/hub/office'

const DAY_MS = 24 * 3600_000
const ms = (d: Date | null | undefined): number | null => (d ? d.getTime() : null)
const int = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : null)

export async function readNetwork(pool: pg.Pool, at: number): Promise<OfficeNetwork> {
  const [stock, writes, leases, desks] = await Promise.all([
    pool.query<{ point_id: string; on_shelf: number; expiring: number; to_return: number; handed_over: number; last_at: number | null }>(
      `SELECT point_id,
              count(*) FILTER (WHERE state = 'on_shelf')::int AS on_shelf,
              count(*) FILTER (WHERE state = 'on_shelf' AND expires_at < $1)::int AS expiring,
              count(*) FILTER (WHERE state = 'to_return')::int AS to_return,
              count(*) FILTER (WHERE state = 'handed_over')::int AS handed_over,
              max(at) AS last_at
         FROM parcels GROUP BY point_id ORDER BY point_id`,
      [at + DAY_MS]
    ),
    pool.query<{ desk_id: string; name: string; kind: string; state: string; n: number; error: string | null; oldest: number }>(
      `SELECT w.desk_id, d.name, w.kind, w.state, count(*)::int AS n, max(w.error_code) AS error, min(w.at) AS oldest
         FROM writes w JOIN desks d ON d.id = w.desk_id WHERE w.state IN ('pending','inflight','failed')
        GROUP BY 1, 2, 3, 4 ORDER BY 1, 3, 4`
    ),
    pool.query<{ account: string; holder: string; name: string; live: boolean; renewed_at: Date; budget: Record<string, unknown> | null }>(
      `SELECT l.account, l.holder, d.name, l.expires_at > now() AS live, l.renewed_at, l.budget
         FROM leases l JOIN desks d ON d.id = l.holder ORDER BY 1`
    ),
    pool.query<{
      id: string
      name: string
      role: 'point' | 'warehouse'
      point_id: string | null
      last_seq: number
      last_seen_at: Date | null
      revoked_at: Date | null
    }>(`SELECT id, name, role, point_id, last_seq, last_seen_at, revoked_at FROM desks ORDER BY enrolled_at, id`)
  ])
  return {
    at,
    points: stock.rows.map((r): PointStockRow => ({
      pointId: r.point_id,
      onShelf: r.on_shelf,
      expiringByTomorrow: r.expiring,
      toReturn: r.to_return,
      handedOver: r.handed_over,
      lastStepAt: r.last_at
    })),
    writes: writes.rows.map((r): OfficeWriteRow => ({
      deskId: r.desk_id,
      deskName: r.name,
      kind: r.kind,
      state: r.state,
      count: r.n,
      errorCode: r.error,
      oldestAt: r.oldest
    })),
    accounts: leases.rows.map((r): OfficeAccountRow => ({
      account: r.account,
      holderId: r.holder,
      holderName: r.name,
      live: r.live,
      renewedAt: r.renewed_at.getTime(),
      remaining: int(r.budget?.remaining),
      resetsAt: int(r.budget?.resetsAt),
      calls: int(r.budget?.calls)
    })),
    desks: desks.rows.map((r): OfficeDeskRow => ({
      id: r.id,
      name: r.name,
      role: r.role,
      pointId: r.point_id,
      lastSeq: r.last_seq,
      lastSeenAt: ms(r.last_seen_at),
      revoked: r.revoked_at !== null
    }))
  }
}

/** A point's parcels, the newest counter step first, at most OFFICE_POINT_PARCELS_MAX. */
export async function readPointStock(pool: pg.Pool, pointId: string): Promise<OfficePointStock> {
  const r = await pool.query<{ tracking_key: string; state: string; at: number; expires_at: number | null }>(
    `SELECT tracking_key, state, at, expires_at FROM parcels WHERE point_id = $1
      ORDER BY (state = 'on_shelf') DESC, at DESC, tracking_key LIMIT $2`,
    [pointId, OFFICE_POINT_PARCELS_MAX + 1]
  )
  return {
    pointId,
    parcels: r.rows
      .slice(0, OFFICE_POINT_PARCELS_MAX)
      .map((p) => ({ trackingKey: p.tracking_key, state: p.state, at: p.at, expiresAt: p.expires_at })),
    more: r.rows.length > OFFICE_POINT_PARCELS_MAX
  }
}
