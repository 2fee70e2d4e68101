// Performance marks for the scan-to-view benchmark (bench/ui.bench.ts): cheap, always on.
const SCAN = 'guichet:scan'

export function markScan(): void {
  performance.clearMarks(SCAN)
  performance.mark(SCAN)
}

/** Called once the shipment view has been committed to the DOM for a new scan. */
export function measureScanToView(): void {
  if (performance.getEntriesByName(SCAN, 'mark').length === 0) return
  performance.measure('guichet:scan-to-view', SCAN)
  performance.clearMarks(SCAN)
}
