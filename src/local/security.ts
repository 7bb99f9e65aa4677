import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

import { PixError } from '../errors.js';
import { lastLines } from './kafka-jars.js';
import { keytoolCommand } from './prerequisites.js';

/** How the local cluster's client listener is secured. */
export const LOCAL_SECURITY = ['plaintext', 'sasl-ssl'] as const;
export type LocalSecurity = (typeof LOCAL_SECURITY)[number];

/** The user pix's clients log in as, by PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512. */
export const LOCAL_USER = 'pix';
/** The user the brokers log in to each other as, by SCRAM-SHA-512. */
export const BROKER_USER = 'broker';

interface Passwords {
  storePassword: string;
  brokerPassword: string;
  userPassword: string;
}

/** The certificates, keys and passwords of a SASL_SSL cluster, made once and kept in its folder. */
export interface SecurityMaterial extends Passwords {
  folder: string;
  /** The cluster's CA certificate (PEM), which clients trust with --tls-ca. */
  caFile: string;
  /** PKCS12 stores: the broker's key and certificate, and the CA for brokers talking to each other. */
  keystore: string;
  truststore: string;
  /** pix's settings for this cluster, as environment variables (mode 0600). */
  clientEnvFile: string;
  /** The same for kcat and other librdkafka clients, logging in by PLAIN (`kcat -F FILE`). */
  kcatConfigFile: string;
}

const newPassword = (): string => randomBytes(18).toString('base64url');

function layout(clusterHome: string): Omit<SecurityMaterial, keyof Passwords> {
  const folder = join(clusterHome, 'security');
  return {
    folder,
    caFile: join(folder, 'ca.pem'),
    keystore: join(folder, 'broker.p12'),
    truststore: join(folder, 'truststore.p12'),
    clientEnvFile: join(folder, 'client.env'),
    kcatConfigFile: join(folder, 'kcat.conf'),
  };
}

/** The material of the cluster in `clusterHome`, or undefined when it has none (a plain-text one). */
export function readSecurityMaterial(clusterHome: string): SecurityMaterial | undefined {
  const paths = layout(clusterHome);
  try {
    const passwords = JSON.parse(readFileSync(join(paths.folder, 'passwords.json'), 'utf8')) as Passwords;
    return { ...paths, ...passwords };
  } catch {
    return undefined;
  }
}

/**
 * The cluster's security material, made on first use: a CA of its own and a broker certificate it
 * signs for 127.0.0.1 and localhost (a broker given by address or by name is verified), made by
 * Java's keytool; random passwords, never shown, in files only the user can read.
 */
export async function ensureSecurityMaterial(clusterHome: string, env: NodeJS.ProcessEnv): Promise<SecurityMaterial> {
  const kept = readSecurityMaterial(clusterHome);
  if (kept) return kept;
  const paths = layout(clusterHome);
  const passwords: Passwords = {
    storePassword: newPassword(),
    brokerPassword: newPassword(),
    userPassword: newPassword(),
  };
  await rm(paths.folder, { recursive: true, force: true });
  await mkdir(paths.folder, { recursive: true, mode: 0o700 });
  const keytool = keytoolCommand(env);
  const caStore = join(paths.folder, 'ca.p12');
  const request = join(paths.folder, 'broker.csr');
  const signed = join(paths.folder, 'broker.pem');
  // The store password travels in the environment (keytool's `:env` form), not in argv, which
  // every user of the machine can read.
  const store = (file: string): string[] => ['-keystore', file, '-storetype', 'PKCS12', '-storepass:env', 'PIX_STORE'];
  const run = (args: string[]): void => {
    const result = spawnSync(keytool, args, {
      encoding: 'utf8',
      env: { ...env, PIX_STORE: passwords.storePassword },
    });
    if (result.error || result.status !== 0) {
      throw new PixError(
        'LOCAL_BROKER',
        `keytool could not make the cluster's certificates: ${result.error?.message ?? lastLines(`${result.stdout}${result.stderr}`, 3)}`,
        { hint: 'keytool comes with Java, beside java: check that JAVA_HOME, or PATH, finds a whole Java 17+.' },
      );
    }
  };
  // An EC key is made in milliseconds where RSA takes seconds; Node and Java both speak it.
  const key = ['-keyalg', 'EC', '-groupname', 'secp256r1'];
  const names = 'SAN=dns:localhost,ip:127.0.0.1';
  run([
    '-genkeypair',
    '-alias',
    'ca',
    ...key,
    '-dname',
    'CN=pix local CA',
    '-ext',
    'bc:c',
    '-validity',
    '3650',
    ...store(caStore),
  ]);
  run(['-exportcert', '-rfc', '-alias', 'ca', '-file', paths.caFile, ...store(caStore)]);
  run([
    '-genkeypair',
    '-alias',
    'broker',
    ...key,
    '-dname',
    'CN=localhost',
    '-ext',
    names,
    '-validity',
    '825',
    ...store(paths.keystore),
  ]);
  run(['-certreq', '-alias', 'broker', '-file', request, ...store(paths.keystore)]);
  run([
    '-gencert',
    '-alias',
    'ca',
    '-rfc',
    '-infile',
    request,
    '-outfile',
    signed,
    '-validity',
    '825',
    '-ext',
    names,
    '-ext',
    'KU=digitalSignature',
    '-ext',
    'EKU=serverAuth,clientAuth',
    ...store(caStore),
  ]);
  run(['-importcert', '-noprompt', '-alias', 'ca', '-file', paths.caFile, ...store(paths.keystore)]);
  run(['-importcert', '-noprompt', '-alias', 'broker', '-file', signed, ...store(paths.keystore)]);
  run(['-importcert', '-noprompt', '-alias', 'ca', '-file', paths.caFile, ...store(paths.truststore)]);
  // Only the stores are needed from here on: the CA's key is not kept to sign anything else.
  await Promise.all([request, signed, caStore].map((file) => rm(file)));
  // Written last: a folder without it is made again on the next start.
  writeFileSync(join(paths.folder, 'passwords.json'), `${JSON.stringify(passwords, null, 2)}\n`, { mode: 0o600 });
  return { ...paths, ...passwords };
}

/** What `kafka-storage format` adds (KIP-900 `--add-scram`): SCRAM users known from the first start. */
export function scramFormatArguments(material: SecurityMaterial): string[] {
  return ['SCRAM-SHA-512', 'SCRAM-SHA-256'].flatMap((mechanism) => [
    '--add-scram',
    `${mechanism}=[name=${LOCAL_USER},password=${material.userPassword}]`,
    '--add-scram',
    `${mechanism}=[name=${BROKER_USER},password=${material.brokerPassword}]`,
  ]);
}

/**
 * Writes the settings a client needs for the cluster at `bootstrap`: pix's environment variables
 * (`set -a; . FILE; set +a`), and a librdkafka configuration for kcat. Mode 0600: they hold the password.
 */
export function writeClientSettings(material: SecurityMaterial, bootstrap: string): void {
  const env = {
    PIX_BROKERS: bootstrap,
    PIX_TLS_CA: material.caFile,
    PIX_SASL_MECHANISM: 'scram-sha-512',
    PIX_SASL_USERNAME: LOCAL_USER,
    PIX_SASL_PASSWORD: material.userPassword,
  };
  writeFileSync(
    material.clientEnvFile,
    `# pix's settings for the local SASL_SSL cluster at ${bootstrap}. Load with: set -a; . ${material.clientEnvFile}; set +a\n${Object.entries(
      env,
    )
      .map(([name, value]) => `${name}='${value}'`)
      .join('\n')}\n`,
    { mode: 0o600 },
  );
  const kcat = {
    'bootstrap.servers': bootstrap,
    'security.protocol': 'SASL_SSL',
    'sasl.mechanisms': 'PLAIN',
    'sasl.username': LOCAL_USER,
    'sasl.password': material.userPassword,
    'ssl.ca.location': material.caFile,
  };
  writeFileSync(
    material.kcatConfigFile,
    `# kcat -F ${material.kcatConfigFile} (librdkafka; PLAIN, which every librdkafka speaks)\n${Object.entries(kcat)
      .map(([name, value]) => `${name}=${value}`)
      .join('\n')}\n`,
    { mode: 0o600 },
  );
}
