#!/usr/bin/env node
// Draws Guichet's app icon (a parcel on a blue tile, see resources/icon.svg) and writes the
// files electron-builder picks up from resources/: icon.png (1024, Linux and the source for
// macOS), icon.icns (macOS) and icon.ico (Windows). Plain Node (zlib), no image tools needed:
// `node scripts/make-icons.mjs` regenerates them byte for byte.
import { writeFileSync, mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { deflateSync } from 'node:zlib'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const out = join(root, 'resources')

const BLUE = [30, 64, 175]
const WHITE = [255, 255, 255]

// The design in unit coordinates: [x0, y0, x1, y1, color], painted in order over the tile.
const SHAPES = [
  [0.22, 0.34, 0.78, 0.78, WHITE], // box body
  [0.19, 0.24, 0.81, 0.36, WHITE], // lid
  [0.46, 0.24, 0.54, 0.78, BLUE], // tape
  [0.19, 0.355, 0.81, 0.375, BLUE] // lid edge
]
const RADIUS = 0.2

function insideTile(x, y) {
  const r = RADIUS
  const cx = Math.min(Math.max(x, r), 1 - r)
  const cy = Math.min(Math.max(y, r), 1 - r)
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r
}

function colorAt(x, y) {
  if (!insideTile(x, y)) return null
  let c = BLUE
  for (const [x0, y0, x1, y1, col] of SHAPES) if (x >= x0 && x < x1 && y >= y0 && y < y1) c = col
  return c
}

/** RGBA pixels, 4x4 supersampled for smooth edges. */
function render(size) {
  const px = Buffer.alloc(size * size * 4)
  const S = 4
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      let r = 0,
        g = 0,
        b = 0,
        a = 0
      for (let sj = 0; sj < S; sj++) {
        for (let si = 0; si < S; si++) {
          const c = colorAt((i + (si + 0.5) / S) / size, (j + (sj + 0.5) / S) / size)
          if (c) {
            r += c[0]
            g += c[1]
            b += c[2]
            a++
          }
        }
      }
      const o = (j * size + i) * 4
      if (a > 0) {
        px[o] = Math.round(r / a)
        px[o + 1] = Math.round(g / a)
        px[o + 2] = Math.round(b / a)
        px[o + 3] = Math.round((a / (S * S)) * 255)
      }
    }
  }
  return px
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
function crc32(buf) {
  let c = 0xffffffff
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
function chunk(type, data) {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(td))
  return Buffer.concat([len, td, crc])
}

export function png(size) {
  const px = render(size)
  const raw = Buffer.alloc(size * (size * 4 + 1))
  for (let j = 0; j < size; j++) px.copy(raw, j * (size * 4 + 1) + 1, j * size * 4, (j + 1) * size * 4)
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(size, 0)
  ihdr.writeUInt32BE(size, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 6 // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0))
  ])
}

/** ICO with PNG-compressed entries (Windows Vista and later). */
function ico(sizes) {
  const images = sizes.map((s) => png(s))
  const header = Buffer.alloc(6 + 16 * images.length)
  header.writeUInt16LE(0, 0)
  header.writeUInt16LE(1, 2)
  header.writeUInt16LE(images.length, 4)
  let offset = header.length
  images.forEach((img, i) => {
    const e = 6 + 16 * i
    header[e] = sizes[i] >= 256 ? 0 : sizes[i]
    header[e + 1] = sizes[i] >= 256 ? 0 : sizes[i]
    header.writeUInt16LE(1, e + 4) // planes
    header.writeUInt16LE(32, e + 6) // bits per pixel
    header.writeUInt32LE(img.length, e + 8)
    header.writeUInt32LE(offset, e + 12)
    offset += img.length
  })
  return Buffer.concat([header, ...images])
}

/** ICNS with PNG entries: ic07 128, ic08 256, ic09 512, ic10 1024. */
function icns() {
  const entries = [
    ['ic07', 128],
    ['ic08', 256],
    ['ic09', 512],
    ['ic10', 1024]
  ].map(([type, size]) => {
    const data = png(size)
    const h = Buffer.alloc(8)
    h.write(type, 0, 'ascii')
    h.writeUInt32BE(data.length + 8, 4)
    return Buffer.concat([h, data])
  })
  const body = Buffer.concat(entries)
  const h = Buffer.alloc(8)
  h.write('icns', 0, 'ascii')
  h.writeUInt32BE(body.length + 8, 4)
  return Buffer.concat([h, body])
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  mkdirSync(out, { recursive: true })
  writeFileSync(join(out, 'icon.png'), png(1024))
  writeFileSync(join(out, 'icon.ico'), ico([16, 24, 32, 48, 64, 128, 256]))
  writeFileSync(join(out, 'icon.icns'), icns())
  console.log('resources/icon.png, icon.ico, icon.icns written')
}
