import { existsSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { GuichetError } from '../../../shared/result'
import { CupsDriver } from './cups'
import { createDriverFactory } from './drivers'
import { execFileAsync } from './exec'
import type { ExecFile } from './types'

function recorder(stdout = 'request id is Q-42 (1 file(s))\n') {
  const calls: Array<{ file: string; args: readonly string[]; content: Buffer | null }> = []
  const exec: ExecFile = async (file, args) => {
    const path = args[args.length - 1]!
    calls.push({ file, args, content: existsSync(path) ? readFileSync(path) : null })
    return { stdout, stderr: '' }
  }
  return { calls, exec }
}

describe('CupsDriver', () => {
  it('sends a PDF with the exact media and no scaling, as argv (no shell), and cleans its temp file', async () => {
    const { calls, exec } = recorder()
    const bytes = Buffer.from('%PDF-1.4 label')
    const r = await new CupsDriver('Office_1', false, exec).print({
      format: 'pdf',
      bytes,
      size: 'A6',
      title: 'guichet-label-7; rm -rf /',
      copies: 1
    })
    expect(r.externalId).toBe('Q-42')
    const { file, args, content } = calls[0]!
    expect(file).toBe('lp')
    expect(args.slice(0, 6)).toEqual(['-d', 'Office_1', '-n', '1', '-t', 'guichet-label-7 rm -rf /'])
    expect(args).toContain('media=Custom.105x148mm')
    expect(args).toContain('print-scaling=none')
    expect(args.at(-2)).toBe('--')
    expect(content!.equals(bytes)).toBe(true)
    expect(existsSync(args.at(-1)!)).toBe(false)
  })

  it('sends ZPL raw to a raw queue and refuses the wrong format', async () => {
    const { calls, exec } = recorder()
    await new CupsDriver('ZEBRA', true, exec).print({ format: 'zpl', bytes: Buffer.from('^XA^XZ'), size: '4x6', title: 't', copies: 2 })
    expect(calls[0]!.args).toEqual(expect.arrayContaining(['-o', 'raw', '-n', '2']))
    expect(calls[0]!.args).not.toContain('media=Custom.101.6x152.4mm')
    await expect(
      new CupsDriver('ZEBRA', true, exec).print({ format: 'pdf', bytes: Buffer.from('%PDF'), size: 'A6', title: 't', copies: 1 })
    ).rejects.toMatchObject({ code: 'unsupported' })
  })

  it('refuses a queue name that could be read as an option', () => {
    for (const bad of ['-o evil', 'a b', '', 'x'.repeat(200)])
      expect(() => new CupsDriver(bad, false, recorder().exec)).toThrow(GuichetError)
  })

  it('turns a missing program and a failing lp into clear errors', async () => {
    await expect(execFileAsync('guichet-no-such-program', [])).rejects.toMatchObject({
      code: 'unsupported',
      message: expect.stringContaining('not installed')
    })
    await expect(execFileAsync('sh', ['-c', 'echo "lp: The printer or class does not exist." >&2; exit 1'])).rejects.toMatchObject({
      code: 'offline',
      retryable: true,
      message: 'sh failed: lp: The printer or class does not exist.'
    })
  })

  it('refuses the desktop-only silent print driver outside Electron', () => {
    const make = createDriverFactory(recorder().exec)
    expect(() => make({ id: 'os:HP', name: 'HP', driver: 'chromium', target: 'HP', format: 'pdf', size: 'A6', dpi: null })).toThrow(
      /desktop app only/
    )
    expect(make({ id: 'tcp:z:9101', name: 'Z', driver: 'tcp9100', target: 'z:9101', format: 'zpl', size: 'A6', dpi: 203 }).kind).toBe(
      'tcp9100'
    )
  })
})
