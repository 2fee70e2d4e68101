// Raw ZPL to a network label printer on TCP 9100 (JetDirect): the bytes go as they are.
import type * as Net from 'node:net'
import { lazyRequire } from '../../platform/startup/lazy'
import { GuichetError } from '../../../shared/result'
import type { PrinterDriver, PrintPayload } from './types'

// Loaded at the first print to a network printer, not at start.
const net = lazyRequire<typeof Net>('node:net')

export class Tcp9100Driver implements PrinterDriver {
  readonly kind = 'tcp9100' as const
  readonly accepts = ['zpl'] as const
  constructor(
    private readonly host: string,
    private readonly port = 9100,
    private readonly timeoutMs = 10_000
  ) {}

  print(p: PrintPayload): Promise<{ externalId: string | null }> {
    if (p.format !== 'zpl') return Promise.reject(new GuichetError('unsupported', `A raw TCP printer takes ZPL, not ${p.format}.`))
    const where = `${this.host}:${this.port}`
    return new Promise((resolve, reject) => {
      const sock = net().connect({ host: this.host, port: this.port })
      let done = false
      const finish = (err: GuichetError | null) => {
        if (done) return
        done = true
        clearTimeout(timer)
        sock.destroy()
        if (err) reject(err)
        else resolve({ externalId: null })
      }
      const timer = setTimeout(
        () => finish(new GuichetError('timeout', `The printer at ${where} did not take the label in time.`, { retryable: true })),
        this.timeoutMs
      )
      sock.on('error', (e: NodeJS.ErrnoException) =>
        finish(
          new GuichetError(
            'offline',
            `The printer at ${where} is not reachable (${e.code ?? e.message}). Check that it is on and connected.`,
            { retryable: true }
          )
        )
      )
      sock.on('connect', () => {
        const copies = Math.max(1, Math.min(99, p.copies))
        const body = Buffer.concat(Array.from({ length: copies }, () => p.bytes))
        // end() flushes everything before FIN; 'close' means the device has it all.
        sock.end(body)
      })
      sock.on('close', (hadError) => {
        if (!hadError) finish(null)
      })
    })
  }
}
