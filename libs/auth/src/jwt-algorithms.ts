import type { KeyObject } from 'node:crypto';

export const HMAC_ALGORITHMS = ['HS256', 'HS384', 'HS512'];
const RSA_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
const EC_ALGORITHMS = ['ES256', 'ES384', 'ES512'];
const EDDSA_ALGORITHMS = ['EdDSA', 'Ed25519'];

/** Whatever an identity provider's key set may hold: asymmetric keys only. */
export const JWKS_ALGORITHMS = [...RSA_ALGORITHMS, ...EC_ALGORITHMS, ...EDDSA_ALGORITHMS];

const BY_KEY_TYPE: Readonly<Record<string, readonly string[]>> = {
  rsa: RSA_ALGORITHMS,
  'rsa-pss': RSA_ALGORITHMS.filter((name) => name.startsWith('PS')),
  ec: EC_ALGORITHMS,
  ed25519: EDDSA_ALGORITHMS,
};

/**
 * The algorithms a public key may verify, or null for a key type JWTs do not use. Pinned
 * per key type so a token can never choose its own (no `none`, and no HMAC "signed" with
 * the public key: algorithm confusion).
 */
export function algorithmsForPublicKey(key: KeyObject): readonly string[] | null {
  return BY_KEY_TYPE[key.asymmetricKeyType ?? ''] ?? null;
}
