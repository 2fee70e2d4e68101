// The sender address in Settings reaches the labels Guichet draws, through the real backend:
// settings.update, then labels.print to a network label printer (a TCP 9100 listener here).
import { rmSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import type { Output } from '../../../shared/contract'
import { ShipmentRepository } from '../../core/shipments/shipments.repo'
import { testBackend } from '../../../../test/helpers/backend'

const cleanups: Array<() => void | Promise<void>> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

/** A raw label printer on 127.0.0.1: collects each job's bytes. */
async function fakeZebra(): Promise<{ port: number; jobs: string[] }> {
  const jobs: string[] = []
  const server: Server = createServer((sock) => {
    const chunks: Buffer[] = []
    sock.on('data', (c) => chunks.push(c))
    sock.on('end', () => {
      jobs.push(Buffer.concat(chunks).toString('utf8'))
      sock.end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return { port: (server.address() as { port: number }).port, jobs }
}

function backendWithParcels() {
  const b = testBackend({ demo: false })
  cleanups.push(() => rmSync(b.dataDir, { recursive: true, force: true }))
  cleanups.push(() => b.close())
  const repo = new ShipmentRepository(b.db)
  const ids = ['ECQFLD0000000001', 'ECQFLD0000000002'].map((t) =>
    repo.insert({
      carrier: 'ecotrack',
      account: 'main',
      trackingNumber: t,
      recipientName: 'Lina Hamidi',
      point: { id: 'P1', name: 'Stop desk', address: 'Rue A 1, 16000 Alger' },
      createdAt: b.clock.now()
    })
  )
  return { b, ids }
}

const sender = { name1: 'Entrepot Blida', street: 'Zone industrielle', houseNo: '3', zip: '09000', city: 'Blida', country: 'DZ' }

describe('sender address on generated labels', () => {
  it('a label printed after the sender is set carries it; before, no From block', async () => {
    const { b, ids } = backendWithParcels()
    const zebra = await fakeZebra()
    const saved = await b.dispatch('printers.save', {
      name: 'Zebra',
      driver: 'tcp9100',
      target: `127.0.0.1:${zebra.port}`,
      format: 'zpl',
      size: '4x6',
      dpi: 203
    })
    if (!saved.ok) throw new Error(saved.error.message)
    const printerId = (saved.value as Output<'printers.save'>).id

    const first = await b.dispatch('labels.print', { shipmentId: ids[0], printerId })
    expect(first.ok).toBe(true)
    expect(zebra.jobs[0]).toContain('^FDECQFLD0000000001^FS')
    // An Algerian (ECOTRACK) parcel's label reads French: "Expéditeur", never "From".
    expect(zebra.jobs[0]).not.toContain('^FDExpéditeur^FS')

    // No restart: the next label reads the settings as they are now.
    expect((await b.dispatch('settings.update', { sender })).ok).toBe(true)
    const second = await b.dispatch('labels.print', { shipmentId: ids[1], printerId })
    expect(second.ok).toBe(true)
    expect(zebra.jobs[1]).toContain('^FDExpéditeur^FS')
    expect(zebra.jobs[1]).toMatch(/\^FDEntrepot Blida, Zone industrielle 3, 09000 Blida, DZ\^FS/)

    const preview = await b.dispatch('labels.preview', { shipmentId: ids[0] })
    if (!preview.ok) throw new Error(preview.error.message)
    const svg = (preview.value as Output<'labels.preview'>).svg!
    expect(svg).toContain('>Expéditeur</text>')
    expect(svg).toContain('Entrepot Blida')
    expect(svg).toContain('09000 Blida')

    // Cleared: the From block goes away again.
    expect((await b.dispatch('settings.update', { sender: null })).ok).toBe(true)
    const after = await b.dispatch('labels.preview', { shipmentId: ids[0] })
    expect(after.ok && (after.value as Output<'labels.preview'>).svg).not.toContain('Entrepot Blida')
  })

  it('a malformed stored sender prints no From block and does not stop the label', async () => {
    const { b, ids } = backendWithParcels()
    b.settings.update({ language: 'fr' })
    // A hand-edited settings file: the sender without its city.
    ;(b.settings as unknown as { store: { set(k: string, v: unknown): void } }).store.set('sender', { name1: 'Entrepot Blida' })
    const preview = await b.dispatch('labels.preview', { shipmentId: ids[0] })
    if (!preview.ok) throw new Error(preview.error.message)
    expect((preview.value as Output<'labels.preview'>).svg).not.toContain('Entrepot Blida')
  })
})
