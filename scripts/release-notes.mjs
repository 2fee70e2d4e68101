#!/usr/bin/env node
// Drafts the next CHANGELOG.md entry (Keep a Changelog sections, semver) from the commits since
// the last tag, or from all commits when there is no tag yet.
//
//   npm run release:notes                 print the draft
//   npm run release:notes -- --write      also insert it under "## [Unreleased]" in CHANGELOG.md and
//                                         write resources/release-notes.md, which electron-builder puts
//                                         into latest*.yml as releaseNotes (the About screen's "what's new")
//   npm run release:notes -- --version 1.2.0 --date 2026-12-01
//
// A draft: a person edits the wording before tagging. Commits whose message says
// [skip changelog], merges, and fixups are left out.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const SECTIONS = ['Added', 'Changed', 'Deprecated', 'Removed', 'Fixed', 'Security']
// Conventional-commit types; any other "Word:" prefix ("Poller: ...") is part of the text.
const CC = /^(feat|fix|docs|style|refactor|perf|test|tests|build|ci|chore|revert|security|sec|deprecate|remove)(\([^)]*\))?(!)?:\s*/i

/** The Keep a Changelog section for one commit, or null to leave it out. */
export function classify(subject, body = '') {
  const s = subject.trim()
  if (!s || /^(merge|fixup!|squash!)/i.test(s) || /\[skip changelog\]/i.test(`${s}\n${body}`)) return null
  const cc = CC.exec(s)
  if (cc) {
    const type = cc[1].toLowerCase()
    if (['chore', 'ci', 'test', 'tests', 'style', 'build'].includes(type)) return null
    if (type === 'feat') return 'Added'
    if (type === 'fix') return 'Fixed'
    if (type === 'security' || type === 'sec') return 'Security'
    if (type === 'deprecate') return 'Deprecated'
    if (type === 'remove' || type === 'revert') return 'Removed'
    return 'Changed'
  }
  if (/\b(security|vulnerab|CVE-\d+|secret leak|redact)/i.test(s)) return 'Security'
  if (/^(add|adds|added|new|introduce|support)\b/i.test(s)) return 'Added'
  if (/^(fix|fixes|fixed|repair|correct)\b/i.test(s)) return 'Fixed'
  if (/^(remove|removes|removed|drop|delete)\b/i.test(s)) return 'Removed'
  if (/^deprecat/i.test(s)) return 'Deprecated'
  return 'Changed'
}

/** Strips a conventional-commit prefix and keeps the first line, capitalised. */
export function cleanSubject(subject) {
  const s = subject.replace(CC, '').trim()
  return s.charAt(0).toUpperCase() + s.slice(1)
}

export const isBreaking = (subject, body = '') => CC.exec(subject)?.[3] === '!' || /BREAKING CHANGE/.test(body)

/** Semver bump: breaking -> major (minor while 0.x), Added -> minor, else patch. */
export function nextVersion(current, commits) {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(current)
  if (!m) throw new Error(`package.json version "${current}" is not semver`)
  let [major, minor, patch] = m.slice(1).map(Number)
  const breaking = commits.some((c) => isBreaking(c.subject, c.body))
  const added = commits.some((c) => classify(c.subject, c.body) === 'Added')
  if (breaking && major > 0) return `${major + 1}.0.0`
  if (breaking || added) return `${major}.${minor + 1}.0`
  return `${major}.${minor}.${patch + 1}`
}

export function render(version, date, commits) {
  const groups = new Map(SECTIONS.map((s) => [s, []]))
  for (const c of commits) {
    const section = classify(c.subject, c.body)
    if (section) groups.get(section).push(`- ${cleanSubject(c.subject)}${isBreaking(c.subject, c.body) ? ' (breaking)' : ''}`)
  }
  const parts = [`## [${version}] - ${date}`]
  for (const [section, lines] of groups) if (lines.length) parts.push(`### ${section}\n${lines.join('\n')}`)
  if (parts.length === 1) parts.push('### Changed\n- Maintenance release.')
  return parts.join('\n\n') + '\n'
}

/** Puts the entry right under "## [Unreleased]" (creating the file's skeleton if needed). */
export function insertEntry(changelog, entry) {
  const marker = /^## \[Unreleased\][^\n]*\n/m
  if (!marker.test(changelog)) return `${changelog.trimEnd()}\n\n## [Unreleased]\n\n${entry}`
  return changelog.replace(marker, (h) => `${h}\n${entry}`)
}

function git(cwd, args) {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
}

export function commitsSinceLastTag(cwd) {
  let range = 'HEAD'
  let tag = null
  try {
    tag = git(cwd, ['describe', '--tags', '--abbrev=0']).trim()
    range = `${tag}..HEAD`
  } catch {
    // No tag yet: every commit.
  }
  const raw = git(cwd, ['log', range, '--no-merges', '--format=%H%x1f%s%x1f%b%x1e'])
  const commits = raw
    .split('\x1e')
    .map((r) => r.trim())
    .filter(Boolean)
    .map((r) => {
      const [hash, subject, body] = r.split('\x1f')
      return { hash, subject: subject ?? '', body: body ?? '' }
    })
    .reverse()
  return { tag, commits }
}

function arg(name) {
  const i = process.argv.indexOf(name)
  return i > 0 ? process.argv[i + 1] : undefined
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const cwd = process.cwd()
  const pkg = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8'))
  const { tag, commits } = commitsSinceLastTag(cwd)
  const version = arg('--version') ?? nextVersion(pkg.version, commits)
  const date = arg('--date') ?? new Date().toISOString().slice(0, 10)
  const entry = render(version, date, commits)
  process.stdout.write(`<!-- ${commits.length} commits since ${tag ?? 'the first commit'} -->\n${entry}`)
  if (process.argv.includes('--write')) {
    const file = join(cwd, 'CHANGELOG.md')
    const current = existsSync(file) ? readFileSync(file, 'utf8') : '# Changelog\n'
    writeFileSync(file, insertEntry(current, entry))
    // The body without the version heading: the About screen shows the version itself.
    writeFileSync(join(cwd, 'resources', 'release-notes.md'), entry.replace(/^## [^\n]*\n+/, ''))
    process.stderr.write(
      `CHANGELOG.md: entry ${version} inserted; edit it, then set "version": "${version}" in package.json and tag v${version}\n`
    )
  }
}
