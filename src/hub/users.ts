// Head office's users and sessions (tables `users`, `sessions`; this module owns them).
// Passwords are kept as scrypt with a per-user random salt; a session is 32 random bytes in an
// HttpOnly cookie, kept here as sha256 only, with an expiry. Failed logins are throttled twice:
// per user in the database (a lock that survives a restart, checked before any password), and
// per client address in memory (guessing across many names).
import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto'
import type pg from 'pg'
import type { OfficeRefusal, OfficeRole, OfficeUser } from '../shared/hub/office'

export class OfficeRefused extends Error {
  constructor(
    readonly status: number,
    readonly refusal: OfficeRefusal
  ) {
    super(refusal.refused)
  }
}

export const MIN_PASSWORD_LENGTH = 10
export const USER_NAME = /^[\p{L}\p{N}._@-]{1,64}$/u

const SCRYPT_KEYLEN = 32
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex')

function scryptAsync(password: string, salt: Buffer, len: number): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(password, salt, len, (e, key) => (e ? reject(e) : resolve(key))))
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  return `scrypt$${salt.toString('base64')}$${(await scryptAsync(password, salt, SCRYPT_KEYLEN)).toString('base64')}`
}

export async function checkPassword(password: string, stored: string): Promise<boolean> {
  const [kind, salt, hash] = stored.split('$')
  if (kind !== 'scrypt' || !salt || !hash) return false
  const want = Buffer.from(hash, 'base64')
  const got = await scryptAsync(password, Buffer.from(salt, 'base64'), want.length)
  return timingSafeEqual(got, want)
}

// An unknown name costs the same scrypt as a known one: the time does not tell names apart.
const DUMMY_HASH = `scrypt$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(SCRYPT_KEYLEN).toString('base64')}`

export interface UsersOptions {
  now?: () => number
  /** Session lifetime; 12 h, a working day. */
  sessionMs?: number
  /** Consecutive failures of one user before it is locked. */
  maxFailures?: number
  /** The first lock; each further failure doubles it, up to an hour. */
  lockMs?: number
  /** Failures from one address within ipWindowMs before that address is held off. */
  maxFailuresPerAddress?: number
  ipWindowMs?: number
}

export interface NewSession {
  token: string
  user: OfficeUser
  expiresAt: number
}

export class OfficeUsers {
  private readonly now: () => number
  private readonly sessionMs: number
  private readonly maxFailures: number
  private readonly lockMs: number
  private readonly maxPerAddress: number
  private readonly ipWindowMs: number
  private readonly byAddress = new Map<string, { since: number; count: number }>()

  constructor(
    private readonly pool: pg.Pool,
    opts: UsersOptions = {}
  ) {
    this.now = opts.now ?? Date.now
    this.sessionMs = opts.sessionMs ?? 12 * 3600_000
    this.maxFailures = opts.maxFailures ?? 5
    this.lockMs = opts.lockMs ?? 60_000
    this.maxPerAddress = opts.maxFailuresPerAddress ?? 30
    this.ipWindowMs = opts.ipWindowMs ?? 15 * 60_000
  }

  async hasUsers(): Promise<boolean> {
    return ((await this.pool.query('SELECT 1 FROM users LIMIT 1')).rowCount ?? 0) > 0
  }

  /** Adds a user; false when the name is taken (nothing changed). */
  async add(name: string, password: string, role: OfficeRole): Promise<boolean> {
    checkNewUser(name, password)
    const r = await this.pool.query('INSERT INTO users (name, password_hash, role) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING', [
      name,
      await hashPassword(password),
      role
    ])
    return (r.rowCount ?? 0) > 0
  }

  /** A new password ends the user's sessions and lifts a lock. */
  async setPassword(name: string, password: string): Promise<boolean> {
    checkNewUser(name, password)
    const r = await this.pool.query('UPDATE users SET password_hash = $2, failed_logins = 0, locked_until = NULL WHERE name = $1', [
      name,
      await hashPassword(password)
    ])
    await this.pool.query('DELETE FROM sessions WHERE user_name = $1', [name])
    return (r.rowCount ?? 0) > 0
  }

  /** Disabling ends the user's sessions at once. */
  async setDisabled(name: string, disabled: boolean): Promise<boolean> {
    const r = await this.pool.query('UPDATE users SET disabled = $2 WHERE name = $1', [name, disabled])
    if (disabled) await this.pool.query('DELETE FROM sessions WHERE user_name = $1', [name])
    return (r.rowCount ?? 0) > 0
  }

  async list(): Promise<Array<OfficeUser & { disabled: boolean }>> {
    const r = await this.pool.query<{ name: string; role: OfficeRole; disabled: boolean }>(
      'SELECT name, role, disabled FROM users ORDER BY name'
    )
    return r.rows
  }

  /** Checks a name and password and opens a session, or throws OfficeRefused. */
  async login(name: string, password: string, address: string): Promise<NewSession> {
    const t = this.now()
    const held = this.addressHeld(address, t)
    if (held > 0) throw new OfficeRefused(429, { refused: 'office.throttled', retryAfterMs: held })
    const r = await this.pool.query<{ password_hash: string; role: OfficeRole; disabled: boolean; locked_until: Date | null }>(
      'SELECT password_hash, role, disabled, locked_until FROM users WHERE name = $1',
      [name]
    )
    const row = r.rows[0]
    // A locked user's password is not even checked: a guess during the lock teaches nothing.
    if (row?.locked_until && row.locked_until.getTime() > t)
      throw new OfficeRefused(429, { refused: 'office.throttled', retryAfterMs: row.locked_until.getTime() - t })
    const good = await checkPassword(password, row?.password_hash ?? DUMMY_HASH)
    if (!row || !good) {
      this.addressFailed(address, t)
      if (row) await this.userFailed(name, t)
      throw new OfficeRefused(401, { refused: 'office.bad_login' })
    }
    await this.pool.query('UPDATE users SET failed_logins = 0, locked_until = NULL WHERE name = $1', [name])
    if (row.disabled) throw new OfficeRefused(403, { refused: 'office.disabled' })
    const token = randomBytes(32).toString('base64url')
    const expiresAt = t + this.sessionMs
    await this.pool.query('INSERT INTO sessions (token_hash, user_name, expires_at, created_at) VALUES ($1, $2, $3, $4)', [
      sha256(token),
      name,
      new Date(expiresAt),
      new Date(t)
    ])
    // Old sessions go with each login: the table never grows past the live ones.
    await this.pool.query('DELETE FROM sessions WHERE expires_at <= $1', [new Date(t)])
    return { token, user: { name, role: row.role }, expiresAt }
  }

  /** The signed-in user of a session token, or null (unknown, expired, or the user disabled). */
  async session(token: string | null): Promise<OfficeUser | null> {
    if (!token) return null
    const r = await this.pool.query<OfficeUser>(
      `SELECT u.name, u.role FROM sessions s JOIN users u ON u.name = s.user_name
        WHERE s.token_hash = $1 AND s.expires_at > $2 AND NOT u.disabled`,
      [sha256(token), new Date(this.now())]
    )
    return r.rows[0] ?? null
  }

  async logout(token: string | null): Promise<void> {
    if (token) await this.pool.query('DELETE FROM sessions WHERE token_hash = $1', [sha256(token)])
  }

  private async userFailed(name: string, t: number): Promise<void> {
    // One statement, so two wrong guesses at once both count.
    await this.pool.query(
      `UPDATE users SET failed_logins = failed_logins + 1,
         locked_until = CASE WHEN failed_logins + 1 >= $2
           THEN $3::timestamptz + make_interval(secs => least(3600, $4 * power(2, failed_logins + 1 - $2)) )
           ELSE locked_until END
       WHERE name = $1`,
      [name, this.maxFailures, new Date(t), this.lockMs / 1000]
    )
  }

  private addressHeld(address: string, t: number): number {
    const a = this.byAddress.get(address)
    if (!a || t - a.since >= this.ipWindowMs) return 0
    return a.count >= this.maxPerAddress ? a.since + this.ipWindowMs - t : 0
  }

  private addressFailed(address: string, t: number): void {
    const a = this.byAddress.get(address)
    if (!a || t - a.since >= this.ipWindowMs) this.byAddress.set(address, { since: t, count: 1 })
    else a.count++
    // Bounded memory under a spray of addresses: windows that ended are dropped.
    if (this.byAddress.size > 10_000) for (const [k, v] of this.byAddress) if (t - v.since >= this.ipWindowMs) this.byAddress.delete(k)
  }
}

function checkNewUser(name: string, password: string): void {
  if (!USER_NAME.test(name)) throw new Error('A user name is 1 to 64 letters, digits or . _ @ -')
  if (password.length < MIN_PASSWORD_LENGTH) throw new Error(`A password has ${MIN_PASSWORD_LENGTH} characters or more`)
}
