// A store as a power cut leaves it, for the integrity-check tests: filler rows, damage, a -wal.
import BetterSqlite3 from 'better-sqlite3'
import { readFileSync, writeFileSync } from 'node:fs'

/**
 * Adds a filler table to the closed store `file`, damages it, and leaves the `-wal` a run that
 * never closed leaves. `damage`: the filler's own pages (the file's end, written last: the
 * schema survives), every page after the header page (the schema with them), or none.
 */
export function leaveAsAfterPowerCut(file: string, damage: 'rows' | 'schema' | 'none'): void {
  const db = new BetterSqlite3(file)
  db.exec('CREATE TABLE filler (id INTEGER PRIMARY KEY, body TEXT)')
  const add = db.prepare('INSERT INTO filler (body) VALUES (?)')
  db.transaction(() => {
    for (let i = 0; i < 3000; i++) add.run(`parcel ${i} `.repeat(20))
  })()
  db.close()
  if (damage !== 'none') {
    const bytes = Buffer.from(readFileSync(file))
    if (damage === 'rows') bytes.fill(0x41, bytes.length - 4096 * 40, bytes.length - 4096 * 2)
    else bytes.fill(0x41, 4096, bytes.length)
    writeFileSync(file, bytes)
  }
  writeFileSync(`${file}-wal`, '')
}
