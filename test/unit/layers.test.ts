// The layer rule in eslint/layers.mjs must fire: an upward import, a production import of a
// simulator or a test kit. Lints in-memory sources under the project's own eslint config.
import { ESLint } from 'eslint'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = resolve(__dirname, '../..')
const eslint = new ESLint({ cwd: root })

async function layerErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(root, file) })
  return result!.messages.filter((m) => m.ruleId === 'guichet/layers').map((m) => m.message)
}

describe('eslint layer rule', () => {
  it('refuses a platform module importing core', async () => {
    const errors = await layerErrors(
      'src/main/platform/db/x.ts',
      "import { StatusPipeline } from '../../core/pipeline/pipeline'\nexport const x = StatusPipeline\n"
    )
    expect(errors).toEqual([expect.stringContaining('Upward import: platform may not import core')])
  })

  it('refuses a carrier client importing a feature', async () => {
    const errors = await layerErrors('src/main/carriers/ecotrack/x.ts', "export { buildLabelModel } from '../../features/labels/model'\n")
    expect(errors).toEqual([expect.stringContaining('carriers may not import features')])
  })

  it('refuses production code importing a simulator or a test kit', async () => {
    const sim = await layerErrors(
      'src/main/carriers/ecotrack/x.ts',
      "import { startEcotrackSimulator } from './sim/simulator'\nexport const s = startEcotrackSimulator\n"
    )
    expect(sim).toEqual([expect.stringContaining('imports a simulator or test kit')])
    const kit = await layerErrors(
      'src/main/core/poller/x.ts',
      "import { TEST_MAPPING } from '../pipeline/pipeline.testkit'\nexport const m = TEST_MAPPING\n"
    )
    expect(kit).toEqual([expect.stringContaining('imports a simulator or test kit')])
  })

  it("refuses a simulator importing its own or another carrier's client code, and allows the shared sim helpers", async () => {
    const own = await layerErrors(
      'src/main/carriers/express-relais/sim/x.ts',
      "import { erDescription } from '../mapping'\nexport const d = erDescription\n"
    )
    expect(own).toEqual([expect.stringContaining('A simulator imports client code')])
    const other = await layerErrors(
      'src/main/carriers/swisspost/sim/x.ts',
      "import { SENDCLOUD_ROWS } from '../../sendcloud/mapping'\nexport const r = SENDCLOUD_ROWS\n"
    )
    expect(other).toEqual([expect.stringContaining('A simulator imports client code')])
    expect(
      await layerErrors(
        'src/main/carriers/sendcloud/sim/x.ts',
        "import { queryChecker } from '../../sim/openapi'\nimport { SC_POINTS } from './fixtures'\nexport const q = [queryChecker, SC_POINTS]\n"
      )
    ).toEqual([])
  })

  it('lets a feature import core, demo import a simulator, and a test import anything', async () => {
    expect(
      await layerErrors(
        'src/main/features/counter/x.ts',
        "import { StatusPipeline } from '../../core/pipeline/pipeline'\nexport const p = StatusPipeline\n"
      )
    ).toEqual([])
    expect(
      await layerErrors(
        'src/main/demo/x.ts',
        "import { startEcotrackSimulator } from '../carriers/ecotrack/sim/simulator'\nexport const s = startEcotrackSimulator\n"
      )
    ).toEqual([])
    expect(
      await layerErrors(
        'src/main/carriers/ecotrack/x.test.ts',
        "import { createBackend } from '../../backend'\nexport const b = createBackend\n"
      )
    ).toEqual([])
  })
})
