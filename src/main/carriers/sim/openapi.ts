// Request validation for simulators, from a carrier's own OpenAPI document (a verbatim JSON copy in
// <carrier>/sim/spec/): query parameters by their declared schema and style, bodies by a schema
// pointer. ajv does the checking; this file only turns a query string into the object it checks.
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020'
import { lazy } from '../../platform/startup/lazy'

export interface SpecProblem {
  /** The query parameter or body path at fault. */
  where: string
  /** A JSON:API-style code: `required`, `unknown_parameter`, `invalid`. */
  code: string
  detail: string
}

interface Parameter {
  name: string
  in: string
  required?: boolean
  schema?: { type?: string; items?: unknown; default?: unknown }
  style?: string
  explode?: boolean
}

type Doc = { paths: Record<string, Record<string, { parameters?: Parameter[] }>> }

const esc = (p: string) => p.replace(/~/g, '~0').replace(/\//g, '~1')

/** One ajv per spec document: its `$ref`s resolve inside it. OpenAPI annotations are not keywords. */
function specAjv(doc: object, id: string): Ajv2020 {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false, coerceTypes: false })
  ajv.addSchema({ ...doc, $id: id } as never)
  return ajv
}

const problems = (v: ValidateFunction, prefix: string): SpecProblem[] =>
  (v.errors ?? []).map((e: ErrorObject) => ({
    where: (prefix + e.instancePath.replace(/^\//, '').replace(/\//g, '.')).replace(/\.$/, '') || prefix || '(body)',
    code: e.keyword === 'required' ? 'required' : 'invalid',
    detail: `${e.instancePath || 'body'} ${e.message ?? 'is invalid'}`
  }))

/**
 * A checker for one operation's query string. Arrays are read as the spec declares them (form +
 * explode: the name repeated, no `[]`); a name the operation does not declare is refused, as a
 * strict server does (`carrier_code[]` is not `carrier_code`).
 */
export function queryChecker(doc: object, id: string, path: string, method: string) {
  const op = (doc as Doc).paths[path]?.[method]
  if (!op) throw new Error(`no operation ${method} ${path} in ${id}`)
  const params = (op.parameters ?? []).filter((p) => p.in === 'query')
  // Compiled at the first request: a demo desk starts its simulators before its first scan.
  const compiled = lazy(() => {
    const ajv = specAjv(doc, id)
    const index = (doc as Doc).paths[path]![method]!.parameters!
    const validators = new Map<string, ValidateFunction>()
    for (const p of params) {
      const at = index.indexOf(p)
      validators.set(p.name, ajv.getSchema(`${id}#/paths/${esc(path)}/${method}/parameters/${at}/schema`)!)
    }
    return validators
  })
  return (q: URLSearchParams): SpecProblem[] => {
    const validators = compiled()
    const out: SpecProblem[] = []
    for (const name of new Set(q.keys()))
      if (!validators.has(name)) out.push({ where: name, code: 'unknown_parameter', detail: `Unknown query parameter: ${name}` })
    for (const p of params) {
      const raw = q.getAll(p.name)
      if (raw.length === 0) {
        if (p.required) out.push({ where: p.name, code: 'required', detail: 'Field required' })
        continue
      }
      const type = p.schema?.type
      const explode = p.explode ?? (p.style ?? 'form') === 'form'
      let value: unknown
      if (type === 'array') value = explode ? raw : raw[0]!.split(',')
      else if (raw.length > 1) {
        out.push({ where: p.name, code: 'invalid', detail: `${p.name} is given more than once` })
        continue
      } else value = coerce(raw[0]!, type)
      const v = validators.get(p.name)!
      if (!v(value)) out.push(...problems(v, p.name).map((x) => ({ ...x, where: p.name, detail: `${p.name}: ${x.detail.trim()}` })))
    }
    return out
  }
}

function coerce(s: string, type: string | undefined): unknown {
  if (type === 'integer' || type === 'number') return s.trim() !== '' && Number.isFinite(Number(s)) ? Number(s) : s
  if (type === 'boolean') return s === 'true' ? true : s === 'false' ? false : s
  return s
}

/** A checker for a JSON body against the schema at `pointer` in the spec document. */
export function bodyChecker(doc: object, id: string, pointer: string) {
  const v = specValidator(doc, id, pointer)
  return (body: unknown): SpecProblem[] => (v()(body) ? [] : problems(v(), ''))
}

/** The validator at `pointer` in the spec document, compiled at its first use (see queryChecker). */
export function specValidator(doc: object, id: string, pointer: string): () => ValidateFunction {
  return lazy(() => {
    const v = specAjv(doc, id).getSchema(`${id}#${pointer}`)
    if (!v) throw new Error(`no schema at ${pointer} in ${id}`)
    return v
  })
}

/** The JSON pointer of an operation's response schema, for tests that check answers. */
export const responsePointer = (path: string, method: string, status: string) =>
  `/paths/${esc(path)}/${method}/responses/${status}/content/application~1json/schema`
