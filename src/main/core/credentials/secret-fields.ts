// Which credential fields are secrets. A username, an e-mail or a public key names the account:
// hiding it everywhere would also rewrite real data that happens to read the same (an account
// aliased "demo" whose username is "demo"), so only the secret halves are registered with the
// redactor. Basic-auth headers, which carry both, are hidden by their own pattern.
const IDENTITY = /^(user(name)?|login|e-?mail|client_?id|public_?key|merchant_?id|account)$/i

/** The values of a credential record that must never be shown, logged or sent elsewhere. */
export function secretValues(credentials: Record<string, string | undefined>): string[] {
  return Object.entries(credentials)
    .filter(([field, value]) => typeof value === 'string' && value.length > 0 && !IDENTITY.test(field))
    .map(([, value]) => value as string)
}
