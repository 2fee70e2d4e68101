// The desk's sync with its hub. The SQLite store stays the source: the desk works the same with
// the hub gone. Each round pushes the log past what the hub acknowledged (the hub drops what it
// holds already, so a lost answer costs nothing), pulls what the hub fans out past the cursor and
// applies it in one transaction with the cursor, and renews the leases of its carrier accounts.
import type { Database } from 'better-sqlite3'
import type { Clock } from '../../platform/clock'
import type { Logger } from '../../platform/logger'
import { HUB_PROTOCOL, MAX_BATCH_EVENTS, type HubEvent, type HubRefusal, type PulledEvent } from '../../../shared/hub/contract'
import { HubClient, hubUrlRefusal, type HubCall } from './client'
import { applyPulled } from './apply'
import type { HubSecrets } from './secrets'

const SHUT_OUT = new Set(['hub.revoked', 'hub.unauthorized', 'hub.protocol_newer', 'hub.insecure_url'])

interface HubLink {
  url: string
  deskId: string
  /** From the vault; null when it holds none for this desk (the desk must enrol again). */
  credential: string | null
  role: 'point' | 'warehouse'
  pointId: string | null
  ackedSeq: number
  cursor: number
  lastOkAt: number | null
  lastRefusal: string | null
}

export interface AccountBudget {
  remaining: number | null
  resetsAt: number | null
  calls: number
}

interface HubSyncDeps {
  db: Database
  clock: Clock
  logger: Logger
  /** The desk's hub credential lives in the credentials vault, never in hub_link. */
  secrets: HubSecrets
  /** carrier/alias of every account this desk polls: it asks the hub for their leases. */
  accountsInUse(): string[]
  budgetFor?(account: string): AccountBudget | undefined
  /** Called after pulled events changed shipments (the UI refreshes). */
  onApplied?(kinds: Set<string>): void
  /** When a parcel checked in at this desk must be collected by (the desk's hold days): head office's expiries. */
  expiresAt?(carrier: string | null, arrivedAt: number): number | null
  leaseTtlMs?: number
  pushBatch?: number
}

interface LeaseState {
  granted: boolean
  /** Local time the lease is good until (a margin under the hub's answer). */
  until: number
}

interface RoundReport {
  pushed: number
  pulled: number
  refusal: HubRefusal['refused'] | null
  reachable: boolean
}

export class HubSync {
  private readonly leases = new Map<string, LeaseState>()
  /** The credential read from the vault, for the desk id it was issued to. */
  private cred: { deskId: string; credential: string } | null = null
  private lastReachedAt = 0
  private readonly ttl: number

  constructor(private readonly d: HubSyncDeps) {
    this.ttl = d.leaseTtlMs ?? 30_000
  }

  link(): HubLink | null {
    const r = this.d.db
      .prepare(
        `SELECT url, desk_id AS deskId, credential, role, point_id AS pointId, acked_seq AS ackedSeq, cursor,
                last_ok_at AS lastOkAt, last_refusal AS lastRefusal FROM hub_link WHERE id = 1`
      )
      .get() as (Omit<HubLink, 'credential'> & { credential: string }) | undefined
    if (!r) return null
    if (r.credential !== '') return { ...r, credential: this.moveToVault(r.deskId, r.credential) }
    // Read from the vault once found (the poller asks mayPoll() every cycle); while none is found,
    // read again each time, so a vault that becomes usable is seen without a restart.
    if (this.cred?.deskId !== r.deskId) {
      const credential = this.d.secrets.get(r.deskId)
      if (credential === null) return { ...r, credential: null }
      this.cred = { deskId: r.deskId, credential }
    }
    return { ...r, credential: this.cred.credential }
  }

  /**
   * A credential an older version kept in hub_link goes to the vault, and the column is blanked
   * in the same step; while the vault cannot store (desktop key store locked) it stays and is used.
   */
  private moveToVault(deskId: string, credential: string): string {
    if (!this.d.secrets.available()) return credential
    try {
      this.d.secrets.set(deskId, credential)
    } catch (e) {
      this.d.logger.warn('hub.credential_not_moved', { error: e })
      return credential
    }
    this.d.db.prepare(`UPDATE hub_link SET credential = '' WHERE id = 1`).run()
    this.d.logger.info('hub.credential_moved_to_vault', { desk: deskId })
    return credential
  }

  /** Exchanges a one-time code for this desk's credential and keeps the link. */
  async enrol(url: string, code: string, deskName: string): Promise<HubCall<HubLink>> {
    // Refused before the code leaves: a plain http hub off this computer would carry it readable.
    const insecure = hubUrlRefusal(url)
    if (insecure) return { ok: false, refusal: insecure, status: 0 }
    // The code is spent by the hub: never use it while the credential it buys could not be kept.
    if (!this.d.secrets.available()) return { ok: false, unreachable: 'vault_unavailable' }
    const r = await new HubClient(url, null).enrol(code, deskName)
    if (!r.ok) return r
    const { deskId, credential, role, pointId } = r.value
    this.d.secrets.set(deskId, credential)
    this.cred = { deskId, credential }
    this.d.db
      .prepare(
        `INSERT INTO hub_link (id, url, desk_id, credential, role, point_id) VALUES (1, ?, ?, '', ?, ?)
         ON CONFLICT (id) DO UPDATE SET url = excluded.url, desk_id = excluded.desk_id, credential = '',
           role = excluded.role, point_id = excluded.point_id, acked_seq = 0, cursor = 0, last_refusal = NULL`
      )
      .run(url, deskId, role, pointId)
    this.d.logger.info('hub.enrolled', { desk: deskId, role, point: pointId })
    return { ok: true, value: this.link()! }
  }

  private client(link: HubLink & { credential: string }): HubClient {
    return new HubClient(link.url, { deskId: link.deskId, credential: link.credential })
  }

  /**
   * The poller's question, answered from memory (no I/O): may this desk poll the account now?
   * Yes when it holds the lease; yes when no hub is linked; yes when the hub has been out of
   * reach longer than a lease lasts (every other desk's lease has run out by then too, and a
   * desk alone keeps its parcels moving; the budget may then be shared by guess until the hub is back).
   */
  mayPoll(account: { carrier: string; account: string }): boolean {
    const link = this.link()
    // A hub that refuses this desk for good (revoked, unknown, too old) coordinates nothing; nor
    // does one this desk holds no credential for.
    if (!link || link.credential === null || (link.lastRefusal !== null && SHUT_OUT.has(link.lastRefusal))) return true
    const now = this.d.clock.now()
    const lease = this.leases.get(`${account.carrier}/${account.account}`)
    if (lease?.granted && lease.until > now) return true
    return now - this.lastReachedAt > this.ttl * 2
  }

  /**
   * A counter step says until when its parcel is kept: the hold days are this desk's settings,
   * not in the log row, so the date is added as the step leaves (a fact of that moment).
   */
  private withExpiry(kind: string, carrier: string | null, body: Record<string, unknown>): Record<string, unknown> {
    if (kind !== 'counter' || typeof body.arrivedAt !== 'number' || body.expiresAt !== undefined || !this.d.expiresAt) return body
    if (body.state !== 'on_shelf') return body
    const at = this.d.expiresAt(carrier, body.arrivedAt)
    return at === null ? body : { ...body, expiresAt: at }
  }

  /** One push, pull and lease round. */
  async round(): Promise<RoundReport> {
    const link = this.link()
    const report: RoundReport = { pushed: 0, pulled: 0, refusal: null, reachable: false }
    if (!link || link.lastRefusal === 'hub.revoked' || link.lastRefusal === 'hub.protocol_newer') return report
    // An insecure URL (a link an older version stored) is never called; enrolling again fixes it.
    const insecure = hubUrlRefusal(link.url)
    if (insecure) return this.failed({ ok: false, refusal: insecure, status: 0 }, report)
    // No credential in the vault for this desk (another computer's vault, cleared): it must enrol again.
    if (link.credential === null) return { ...report, refusal: 'hub.unauthorized' }
    const client = this.client({ ...link, credential: link.credential })
    const accounts = this.d.accountsInUse()

    // Push, in order, until the log is empty.
    for (;;) {
      const acked = this.link()!.ackedSeq
      const rows = this.d.db
        .prepare(
          `SELECT seq, kind, at, carrier, account, tracking_key AS trackingKey, point_id AS pointId, body FROM hub_log WHERE seq > ? ORDER BY seq LIMIT ?`
        )
        .all(acked, Math.min(this.d.pushBatch ?? 1_000, MAX_BATCH_EVENTS)) as Array<Omit<HubEvent, 'body'> & { body: string }>
      if (rows.length === 0 && report.pushed > 0) break
      const events: HubEvent[] = rows.map((r) => ({
        ...r,
        // Counter steps and writes happen at this desk's point.
        pointId: r.pointId ?? (r.kind === 'counter' ? link.pointId : null),
        body: this.withExpiry(r.kind, r.carrier, JSON.parse(r.body) as Record<string, unknown>)
      }))
      const res = await client.push({ protocol: HUB_PROTOCOL, accounts, events })
      if (!res.ok) return this.failed(res, report)
      this.reached()
      this.d.db
        .prepare('UPDATE hub_link SET acked_seq = max(acked_seq, ?), last_ok_at = ?, last_refusal = NULL WHERE id = 1')
        .run(res.value.acked, this.d.clock.now())
      report.pushed += res.value.written
      if (rows.length === 0 || rows.length < (this.d.pushBatch ?? 1_000)) break
    }

    // Pull what this desk must see.
    for (;;) {
      const res = await client.pull(this.link()!.cursor)
      if (!res.ok) return this.failed(res, report)
      this.reached()
      const kinds = applyPulled(this.d.db, res.value.events as PulledEvent[], res.value.cursor, this.d.clock.now())
      report.pulled += res.value.events.length
      if (kinds.size > 0) this.d.onApplied?.(kinds)
      if (!res.value.more) break
    }

    // Leases: ask for every account in use; the holder renews, the others learn who holds it.
    for (const account of accounts) {
      const res = await client.lease({ account, ttlMs: this.ttl, budget: this.d.budgetFor?.(account) })
      if (!res.ok) return this.failed(res, report)
      // Keep a margin: the hub counts from when it answered, we from now.
      this.leases.set(account, { granted: res.value.granted, until: this.d.clock.now() + res.value.expiresInMs - this.ttl / 5 })
    }
    report.reachable = true
    return report
  }

  /** Lets this desk's leases go (clean shutdown): another desk takes them at once. */
  async releaseLeases(): Promise<void> {
    const link = this.link()
    if (!link?.credential) return
    const client = this.client({ ...link, credential: link.credential })
    for (const [account, l] of this.leases) if (l.granted) await client.release(account)
    this.leases.clear()
  }

  private reached(): void {
    this.lastReachedAt = this.d.clock.now()
  }

  private failed(res: Exclude<HubCall<unknown>, { ok: true }>, report: RoundReport): RoundReport {
    if ('unreachable' in res) return report
    // Status 0: refused by this desk before calling (an insecure URL): the hub was not reached.
    const local = res.status === 0
    if (!local) this.reached()
    const r = res.refusal
    report.refusal = r.refused
    report.reachable = !local
    if (r.refused === 'hub.sequence_gap' && r.expectedSeq !== undefined) {
      // The hub holds less than it acknowledged (restored from a backup): send again from there.
      this.d.db.prepare('UPDATE hub_link SET acked_seq = ? WHERE id = 1').run(r.expectedSeq - 1)
    } else if (r.refused === 'hub.cursor_ahead') {
      // Same cause on the way down: pull from the start; the inbox keeps each event once.
      this.d.db.prepare('UPDATE hub_link SET cursor = 0 WHERE id = 1').run()
    } else {
      this.d.db.prepare('UPDATE hub_link SET last_refusal = ? WHERE id = 1').run(r.refused)
    }
    this.d.logger.warn('hub.refused', { refusal: r.refused })
    return report
  }
}
