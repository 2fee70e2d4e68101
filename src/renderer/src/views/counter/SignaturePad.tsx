import { useRef, useState, type PointerEvent } from 'react'
import { useTranslation } from 'react-i18next'

// A signature drawn on screen (finger, pen or mouse), kept as an SVG of paths only (the backend
// accepts nothing else). Optional: keyboard-only hand-overs skip it.

const W = 400
const H = 120

export function SignaturePad({ onChange }: { onChange: (svg: string | undefined) => void }) {
  const { t } = useTranslation()
  const [paths, setPaths] = useState<string[]>([])
  const drawing = useRef(false)
  const svgRef = useRef<SVGSVGElement>(null)
  const point = (e: PointerEvent<SVGSVGElement>) => {
    const r = svgRef.current!.getBoundingClientRect()
    return `${Math.round(((e.clientX - r.left) / r.width) * W)} ${Math.round(((e.clientY - r.top) / r.height) * H)}`
  }
  const emit = (next: string[]) => {
    setPaths(next)
    onChange(
      next.length
        ? `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}">${next.map((d) => `<path d="${d}" stroke="#000" fill="none" stroke-width="2"/>`).join('')}</svg>`
        : undefined
    )
  }
  return (
    <div className="signature">
      <span>{t('counter.signature')}</span>
      <svg
        ref={svgRef}
        viewBox={`0 0 ${W} ${H}`}
        width={W}
        height={H}
        data-testid="signature-pad"
        style={{ border: '1px solid #999', touchAction: 'none', background: '#fff' }}
        onPointerDown={(e) => {
          drawing.current = true
          setPaths((p) => [...p, `M${point(e)}`])
        }}
        onPointerMove={(e) => {
          if (!drawing.current) return
          setPaths((p) => [...p.slice(0, -1), `${p[p.length - 1]} L${point(e)}`])
        }}
        onPointerUp={() => {
          drawing.current = false
          emit(paths)
        }}
      >
        {paths.map((d, i) => (
          <path key={i} d={d} stroke="#000" fill="none" strokeWidth={2} />
        ))}
      </svg>
      {paths.length > 0 && (
        <button type="button" onClick={() => emit([])}>
          {t('counter.clearSignature')}
        </button>
      )}
    </div>
  )
}
