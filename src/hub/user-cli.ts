// `npm run hub -- user ...`: head office's users from the hub's own machine. A password is asked
// twice without echo on a terminal, else read from GUICHET_HUB_PASSWORD or the first line of
// stdin (scripts); it is never printed back, nor put on the command line where `ps` shows it.
import { OFFICE_ROLES, type OfficeRole } from '../shared/hub/office'
import type { OfficeUsers } from './users'

export async function userCommand(
  users: OfficeUsers,
  args: string[],
  role: string | undefined,
  io: PasswordSource = terminal()
): Promise<string> {
  const [verb, name] = args
  if (verb === 'list') {
    const all = await users.list()
    return all.length === 0 ? 'No users' : all.map((u) => `${u.name}\t${u.role}${u.disabled ? '\tdisabled' : ''}`).join('\n')
  }
  if (!name) throw new Error('Usage: user add|password|disable|enable NAME')
  if (verb === 'add') {
    const r = (role ?? 'admin') as OfficeRole
    if (!OFFICE_ROLES.includes(r)) throw new Error(`--role is ${OFFICE_ROLES.join(' or ')}`)
    const added = await users.add(name, await io.password(`Password for ${name}: `), r)
    if (!added) throw new Error(`User ${name} exists: use \`user password ${name}\``)
    return `User ${name} added (${r})`
  }
  if (verb === 'password') {
    if (!(await users.setPassword(name, await io.password(`New password for ${name}: `)))) throw new Error(`No user ${name}`)
    return `Password of ${name} changed; their sessions are closed`
  }
  if (verb === 'disable' || verb === 'enable') {
    if (!(await users.setDisabled(name, verb === 'disable'))) throw new Error(`No user ${name}`)
    return verb === 'disable' ? `User ${name} disabled; their sessions are closed` : `User ${name} enabled`
  }
  throw new Error(`Unknown user command "${verb}" (add, password, disable, enable, list)`)
}

export interface PasswordSource {
  password(prompt: string): Promise<string>
}

function terminal(): PasswordSource {
  return {
    async password(prompt) {
      const fromEnv = process.env.GUICHET_HUB_PASSWORD
      if (fromEnv) return fromEnv
      if (!process.stdin.isTTY) return (await readAll(process.stdin)).split(/\r?\n/)[0] ?? ''
      const first = await hidden(prompt)
      const again = await hidden('Again: ')
      if (first !== again) throw new Error('The two passwords differ')
      return first
    }
  }
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = ''
  for await (const c of stream) text += String(c)
  return text
}

/** Reads one line from the terminal in raw mode, echoing nothing. */
function hidden(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin
    process.stderr.write(prompt)
    stdin.setRawMode(true)
    stdin.resume()
    let text = ''
    const done = (e?: Error) => {
      stdin.setRawMode(false)
      stdin.pause()
      stdin.off('data', onData)
      process.stderr.write('\n')
      if (e) reject(e)
      else resolve(text)
    }
    const onData = (buf: Buffer) => {
      for (const ch of buf.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done()
        if (ch === '\u0003') return done(new Error('Cancelled'))
        if (ch === '\u007f' || ch === '\b') text = text.slice(0, -1)
        else text += ch
      }
    }
    stdin.on('data', onData)
  })
}
