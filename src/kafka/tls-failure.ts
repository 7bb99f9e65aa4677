import { PixError } from '../errors.js';

/**
 * OpenSSL's verification results (X509_V_ERR_*, as Node names them on `error.code`) that mean the
 * broker's certificate is not one pix may trust. Retrying cannot change them: the same broker
 * presents the same certificate, so pix says so at once instead of retrying until --timeout.
 */
const UNTRUSTED_CERTIFICATE = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REJECTED',
  'CERT_REVOKED',
  'INVALID_CA',
]);

const OUTDATED_CERTIFICATE = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);

/** A peer that answers a ClientHello with bytes that are no TLS record: a plain-text listener. */
const NOT_TLS = new Set([
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'ERR_SSL_PACKET_LENGTH_TOO_LONG',
  'ERR_SSL_RECORD_LAYER_FAILURE',
]);

/**
 * What a failed TLS connection to `broker` says for certain, as a final pix error; undefined when
 * the failure is one a retry may cure (a refused or reset connection, a broker still starting).
 */
export function tlsFailure(error: NodeJS.ErrnoException, broker: string): PixError | undefined {
  const code = error.code ?? '';
  const reason = `${error.message}${code && !error.message.includes(code) ? ` (${code})` : ''}`;
  if (UNTRUSTED_CERTIFICATE.has(code)) {
    return final(`the certificate of broker ${broker} is not trusted: ${reason}`, {
      hint: 'Pass the CA that signed it with --tls-ca FILE (PEM), or PIX_TLS_CA.',
    });
  }
  if (OUTDATED_CERTIFICATE.has(code)) {
    return final(`the certificate of broker ${broker} is not valid now: ${reason}`, {
      hint: "Renew the broker's certificate, or check this machine's clock.",
    });
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return final(`the certificate of broker ${broker} is for another name: ${reason}`, {
      hint: 'Give the broker in --brokers by a name its certificate lists.',
    });
  }
  // Kafka's plain-text listener reads a ClientHello as a request of 369 MB and hangs up at once,
  // before the handshake ends; a TLS listener that is starting refuses the connection instead.
  if (NOT_TLS.has(code) || /before secure TLS connection was established/.test(error.message)) {
    return final(`broker ${broker} closed the connection during the TLS handshake: it does not speak TLS there`, {
      hint: "Drop --tls (and PIX_TLS) for a plain-text listener, or give the broker's TLS port in --brokers.",
    });
  }
  if (code.startsWith('ERR_SSL_')) {
    return final(`the TLS handshake with broker ${broker} failed: ${reason}`, {
      hint: 'Check --tls-ca, --tls-cert and --tls-key against what the broker expects.',
    });
  }
  return undefined;
}

function final(message: string, options: { hint: string }): PixError {
  return new PixError('TLS_FAILED', message, options);
}
