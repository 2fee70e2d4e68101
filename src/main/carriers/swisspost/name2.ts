// The Name2 keyword before the User ID, per account (options name2PickPost / name2MyPost24).
// Seed 004 writes "PickPost" / "My Post 24", the DCAPI reference's examples "MyPost24": the seed wins.
import { pickPostName2, type PickPostKeyword } from '../../../shared/label'
import type { CarrierAccount } from '../types'

const SP_NAME2_OPTIONS: Record<PickPostKeyword, string> = { PickPost: 'name2PickPost', 'My Post 24': 'name2MyPost24' }

/** The account's word for this service, or the seed's when unset or unprintable. */
export function name2Keyword(account: Pick<CarrierAccount, 'options'>, keyword: PickPostKeyword): string {
  const v = account.options?.[SP_NAME2_OPTIONS[keyword]]
  return typeof v === 'string' && /^[A-Za-z0-9][A-Za-z0-9 ]{0,19}$/.test(v.trim()) ? v.trim() : keyword
}

/** "<word> <User ID>", or null when the ID is unusable or the line exceeds Name2's 35 characters (§8.13). */
export function name2Line(word: string, keyword: PickPostKeyword, userId: string | null | undefined): string | null {
  if (!pickPostName2(keyword, userId)) return null
  const line = `${word} ${(userId ?? '').trim()}`
  return line.length <= 35 ? line : null
}
