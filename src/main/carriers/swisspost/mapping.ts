// Swiss Post tracking is not connected (seed 004 covers addressing and labels): the mapping only
// names the label step, and anything else stays visible with its native text.
import type { StatusMapping } from '../types'

export const swissPostMapping: StatusMapping = {
  rows: [{ native: 'LABEL_CREATED', unified: 'ready_to_ship', description: 'Label generated (generateAddressLabel)' }],
  fallback: { unified: 'shipping_in_progress', kind: 'status' }
}
