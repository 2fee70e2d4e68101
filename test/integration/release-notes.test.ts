// scripts/release-notes.mjs on a throwaway git repository: drafts from all commits when there
// is no tag, from the commits since the last tag otherwise, and inserts under [Unreleased].
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'

const script = resolve(__dirname, '../../scripts/release-notes.mjs')
type Commit = { subject: string; body: string }
const notes = (await import(script)) as {
  classify(subject: string, body?: string): string | null
  nextVersion(current: string, commits: Commit[]): string
  render(version: string, date: string, commits: Commit[]): string
  insertEntry(changelog: string, entry: string): string
}

let repo = ''
afterEach(() => {
  if (repo) rmSync(repo, { recursive: true, force: true })
  repo = ''
})

function git(...args: string[]): string {
  return execFileSync('git', args, {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' }
  })
}
function commit(msg: string): void {
  git('commit', '-q', '--allow-empty', '-m', msg)
}
function draft(...args: string[]): string {
  return execFileSync(process.execPath, [script, '--date', '2026-12-01', ...args], { cwd: repo, encoding: 'utf8' })
}

describe('release notes', () => {
  it('sorts commits into Keep a Changelog sections', () => {
    expect(notes.classify('feat(labels): print A6')).toBe('Added')
    expect(notes.classify('Add the About screen')).toBe('Added')
    expect(notes.classify('fix: keep the outbox on crash')).toBe('Fixed')
    expect(notes.classify('Remove the legacy poller')).toBe('Removed')
    expect(notes.classify('Redact api_token values in logs')).toBe('Security')
    expect(notes.classify('Poller: durable loop')).toBe('Changed')
    expect(notes.classify('chore: bump deps')).toBeNull()
    expect(notes.classify('Tweak spacing', '[skip changelog]')).toBeNull()
  })

  it('bumps the version by semver', () => {
    expect(notes.nextVersion('1.2.3', [{ subject: 'fix: x', body: '' }])).toBe('1.2.4')
    expect(notes.nextVersion('1.2.3', [{ subject: 'feat: x', body: '' }])).toBe('1.3.0')
    expect(notes.nextVersion('1.2.3', [{ subject: 'feat!: x', body: '' }])).toBe('2.0.0')
    expect(notes.nextVersion('0.4.1', [{ subject: 'fix: y', body: 'BREAKING CHANGE: z' }])).toBe('0.5.0')
  })

  it('drafts from all commits without a tag, then only since the last tag, and writes under Unreleased', () => {
    repo = mkdtempSync(join(tmpdir(), 'guichet-notes-'))
    git('init', '-q')
    mkdirSync(join(repo, 'resources'))
    writeFileSync(join(repo, 'package.json'), JSON.stringify({ version: '0.1.0' }))
    writeFileSync(join(repo, 'CHANGELOG.md'), '# Changelog\n\n## [Unreleased]\n\n## [0.1.0] - 2026-11-28\n\n### Added\n- First\n')
    commit('Foundation skeleton')
    commit('fix: search ignores spaces')
    const first = draft()
    expect(first).toContain('2 commits since the first commit')
    expect(first).toContain('## [0.1.1] - 2026-12-01')
    expect(first).toContain('### Fixed\n- Search ignores spaces')
    git('tag', 'v0.1.0')
    commit('feat: About screen with release notes')
    commit('chore: lockfile')
    const second = draft('--write')
    expect(second).toContain('2 commits since v0.1.0')
    expect(second).toContain('## [0.2.0] - 2026-12-01\n\n### Added\n- About screen with release notes')
    expect(second).not.toContain('Search ignores spaces')
    const changelog = readFileSync(join(repo, 'CHANGELOG.md'), 'utf8')
    expect(changelog.indexOf('## [Unreleased]')).toBeLessThan(changelog.indexOf('## [0.2.0]'))
    expect(changelog.indexOf('## [0.2.0]')).toBeLessThan(changelog.indexOf('## [0.1.0]'))
    // What electron-builder will publish as releaseNotes in latest*.yml.
    expect(readFileSync(join(repo, 'resources/release-notes.md'), 'utf8')).toBe('### Added\n- About screen with release notes\n')
  })
})
