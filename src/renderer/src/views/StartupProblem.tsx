import { useTranslation } from 'react-i18next'
import type { StartupProblem } from '@shared/startup'

/**
 * The window the desktop shell opens when the store cannot be opened (newer schema, locked,
 * unreadable): what happened and what to do, in the clerk's language. No backend behind it;
 * the problem arrives as a code with fields in the URL fragment.
 */
export function StartupProblemView({ problem }: { problem: StartupProblem }) {
  const { t } = useTranslation()
  const params = problem.code === 'store_too_new' ? { found: problem.found, supported: problem.supported } : {}
  return (
    <main className="content startup-problem" role="alert" data-testid="startup-problem" data-code={problem.code}>
      <h1>{t('startup.title')}</h1>
      <p>{t(`startup.${problem.code}.what`, params)}</p>
      <p>
        <strong>{t(`startup.${problem.code}.todo`)}</strong>
      </p>
      {'file' in problem && problem.file && (
        <p>
          <bdi dir="ltr">{t('startup.file', { file: problem.file })}</bdi>
        </p>
      )}
      <p>{t('startup.close')}</p>
    </main>
  )
}
