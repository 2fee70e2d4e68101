// Guichet's layering, enforced: src/main is built in layers and a module may import only its own
// layer or those below it. Simulators and test kits never reach production code.
import { dirname, join, normalize, relative, sep } from 'node:path'

/** Lowest first. `app` is the composition root: backend.ts, index.ts (Electron shell), serve.ts. */
export const LAYERS = ['shared', 'platform', 'carriers', 'core', 'features', 'demo', 'app']

const posix = (p) => p.split(sep).join('/')

/** The layer of a repo-relative path, or null when it is outside the layered tree. */
export function layerOf(path) {
  const p = posix(path)
  if (p.startsWith('src/shared/')) return 'shared'
  if (p.startsWith('src/hub/')) return 'hub'
  const m = /^src\/main\/([^/]+)(\/|$)/.exec(p)
  if (!m) return null
  if (!m[2]) return 'app' // a file directly in src/main
  return LAYERS.includes(m[1]) ? m[1] : null
}

/** The hub (src/hub) is a server beside the desk, not above it: it may use shared and platform only, and no desk code imports it. */
const HUB_MAY_IMPORT = ['shared', 'platform', 'hub']
const upward = (from, to) =>
  from === 'hub' ? !HUB_MAY_IMPORT.includes(to) : to === 'hub' ? from !== 'hub' : LAYERS.indexOf(to) > LAYERS.indexOf(from)

/** Code that only tests, benches, demo wiring and other simulators may use. */
export const isSimOrTestkit = (p) => /\/sim\//.test(posix(p)) || /\.testkit(\.tsx?)?$/.test(posix(p))
const isTestCode = (p) => /\.(test|testkit)\.tsx?$/.test(p) || /^(test|bench)\//.test(p)
const isTestOnly = (p) => /\.test\.tsx?$/.test(p) || /^(test|bench)\//.test(p) || /\/sim\//.test(p) || /\.testkit\.tsx?$/.test(p)

/** A carrier's simulator (`carriers/<x>/sim/`): written from the published contract, never from a client. */
const isCarrierSim = (p) => /^src\/main\/carriers\/[^/]+\/sim\//.test(p)
/** Client-side carrier code: anything in a carrier folder that is not a sim/ folder. */
const isCarrierClientCode = (p) => /^src\/main\/carriers\/[^/]+\//.test(p) && !/\/sim\//.test(p)

const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'src/main layers import downward only; production code never imports sim/ or *.testkit' },
    schema: []
  },
  create(context) {
    const cwd = context.cwd ?? process.cwd()
    const file = posix(relative(cwd, context.filename))
    const from = layerOf(file)
    function check(node, spec) {
      if (typeof spec !== 'string' || !spec.startsWith('.')) return
      const target = posix(normalize(join(dirname(file), spec)))
      const to = layerOf(target + (target.endsWith('.ts') ? '' : '.ts')) ?? layerOf(target + '/')
      // Tests and test kits compose whatever they exercise; they are leaves nothing imports.
      if (from && to && !isTestCode(file) && upward(from, to)) {
        context.report({
          node,
          message: `Upward import: ${from} may not import ${to} ('${spec}'). Move the code down a layer or inject it.`
        })
      }
      if (isCarrierSim(file) && isCarrierClientCode(target)) {
        context.report({
          node,
          message: `A simulator imports client code ('${spec}'): simulators are written from the carrier's published contract, not from our client, its mapping or constants.`
        })
      }
      if (isSimOrTestkit(target) && !isTestOnly(file) && from !== 'demo') {
        context.report({
          node,
          message: `Production code imports a simulator or test kit ('${spec}'): only tests, bench, demo and sim/ may.`
        })
      }
    }
    return {
      ImportDeclaration: (n) => check(n.source, n.source.value),
      ExportNamedDeclaration: (n) => n.source && check(n.source, n.source.value),
      ExportAllDeclaration: (n) => check(n.source, n.source.value),
      ImportExpression: (n) => n.source.type === 'Literal' && check(n.source, n.source.value)
    }
  }
}

export default { rules: { layers: rule } }
