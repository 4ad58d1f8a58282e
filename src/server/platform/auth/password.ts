import { randomBytes, scrypt as scryptCallback, timingSafeEqual, createHash } from 'node:crypto';

/**
 * Password hashing with scrypt (memory-hard; Node's built-in implementation of RFC 7914).
 * Stored as `scrypt$<log2 N>$<r>$<p>$<salt b64>$<hash b64>` so the cost can be raised later
 * and old hashes still verify. Cost 15 (N = 32768, r = 8) uses 32 MiB per hash.
 */

const KEY_LENGTH = 32;
const R = 8;
const P = 1;

function scrypt(password: string, salt: Buffer, cost: number, r: number, p: number): Promise<Buffer> {
  const N = 2 ** cost;
  return new Promise((resolve, reject) => {
    scryptCallback(password.normalize('NFKC'), salt, KEY_LENGTH, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

export async function hashPassword(password: string, cost: number): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, cost, R, P);
  return ['scrypt', cost, R, P, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, cost, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !cost || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), Number(cost), Number(r), Number(p));
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** True when the stored hash was made with a lower cost than configured: rehash on next login. */
export function needsRehash(stored: string, cost: number): boolean {
  return Number(stored.split('$')[1]) < cost;
}

export function passwordProblem(password: string, username: string): boolean {
  return [...password].length < 10 || password.toLowerCase() === username.toLowerCase();
}

/** Session tokens are random; only their SHA-256 is stored, so a database leak yields no live tokens. */
export function newSessionToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, tokenHash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
