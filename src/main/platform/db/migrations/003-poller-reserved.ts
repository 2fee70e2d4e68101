import type { Migration } from './types'

// Schema version 3 was set aside for the poller, which needed no table of its own: it keeps its
// durable schedule in shipments.next_check_at and friends (001). The step stays, empty, so the
// versions rise one by one and no store can skip a step.
export const migration003: Migration = {
  version: 3,
  name: 'poller-reserved',
  up() {}
}
