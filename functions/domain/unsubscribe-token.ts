import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Unsubscribe tokens (SPEC §3, §4): `v1.<candidateId, base64url>.<HMAC-SHA256, base64url>`.
 *
 * The signature covers the version and the candidate id under a purpose label, so a token signed
 * for another purpose with the same secret never verifies here. Tokens do not expire: an
 * unsubscribe link in an old email must keep working. Verification accepts several secrets, so
 * `UNSUBSCRIBE_SECRET` can be rotated without breaking the links already sent.
 */

const VERSION = 'v1';
const PURPOSE = 'cert-reminders/unsubscribe';
const SIGNATURE_BYTES = 32;
const CANDIDATE_ID = /^[A-Za-z0-9._:@-]{1,128}$/;
/** Longer than any token {@link createUnsubscribeToken} makes; anything longer is refused unread. */
const MAX_TOKEN_LENGTH = 256;

const signatureOf = (candidateId: string, secret: string): Buffer =>
  createHmac('sha256', secret).update(`${PURPOSE}\n${VERSION}\n${candidateId}`).digest();

/**
 * Signs an unsubscribe token for a candidate.
 *
 * @param candidateId - 1–128 characters of `A-Za-z0-9._:@-` (SPEC §2).
 * @param secret - the current `UNSUBSCRIBE_SECRET`.
 * @throws {RangeError} when the id is not a valid candidate id or the secret is empty.
 * @example
 * const token = createUnsubscribeToken('cand-42', secret);
 * // 'v1.Y2FuZC00Mg.Xp0…' (URL-safe, no padding)
 */
export const createUnsubscribeToken = (candidateId: string, secret: string): string => {
  if (!CANDIDATE_ID.test(candidateId)) throw new RangeError('invalid candidate id');
  if (secret.length === 0) throw new RangeError('the unsubscribe secret is empty');
  const payload = Buffer.from(candidateId, 'utf8').toString('base64url');
  const signature = signatureOf(candidateId, secret).toString('base64url');
  return `${VERSION}.${payload}.${signature}`;
};

/** Decodes base64url strictly: `undefined` unless re-encoding gives back exactly the input. */
const decodeBase64Url = (text: string): Buffer | undefined => {
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
};

/**
 * Checks an unsubscribe token and returns the candidate id it was signed for.
 *
 * Never throws: a forged, tampered, truncated, garbled or foreign token gives `undefined`.
 * Signatures are compared in constant time.
 *
 * @param secrets - the secret, or every secret still accepted (current first) during a rotation.
 * @example
 * verifyUnsubscribeToken(createUnsubscribeToken('cand-42', 'new'), ['new', 'old']); // 'cand-42'
 * verifyUnsubscribeToken('v1.Y2FuZC00Mg.forged', 'new'); // undefined
 */
export const verifyUnsubscribeToken = (
  token: unknown,
  secrets: string | readonly string[],
): string | undefined => {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return undefined;
  const [version, payload, signatureText, ...rest] = token.split('.');
  if (version !== VERSION || payload === undefined || signatureText === undefined) return undefined;
  if (rest.length > 0) return undefined;
  const candidateBytes = decodeBase64Url(payload);
  const signature = decodeBase64Url(signatureText);
  if (candidateBytes === undefined || signature?.length !== SIGNATURE_BYTES) return undefined;
  const candidateId = candidateBytes.toString('utf8');
  if (!CANDIDATE_ID.test(candidateId)) return undefined;
  const keys = (typeof secrets === 'string' ? [secrets] : secrets).filter((key) => key.length > 0);
  const signedByOne = keys.some((key) => timingSafeEqual(signatureOf(candidateId, key), signature));
  return signedByOne ? candidateId : undefined;
};

/**
 * The unsubscribe link of a token: `{publicUrl}/unsubscribe?token=…` (SPEC §4), tolerating a
 * trailing slash or a path prefix on the public URL.
 *
 * @example
 * unsubscribeUrlOf('https://reminders.example.com/', 'v1.abc.def');
 * // 'https://reminders.example.com/unsubscribe?token=v1.abc.def'
 */
export const unsubscribeUrlOf = (publicUrl: string, token: string): string => {
  const url = new URL(publicUrl);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/unsubscribe`;
  url.search = new URLSearchParams({ token }).toString();
  url.hash = '';
  return url.toString();
};
