import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { PixError } from '../errors.js';
import { KAFKA_VERSION, LOG4J_VERSION, SCALA_VERSION, SLF4J_VERSION } from './kafka-version.js';
import { requireMaven } from './prerequisites.js';

/** Maven gets ten minutes: the first download is about 45 MB. */
const MAVEN_BOUND_MS = 10 * 60_000;

export function kafkaPom(): string {
  const dependency = (group: string, artifact: string, version: string): string =>
    `    <dependency><groupId>${group}</groupId><artifactId>${artifact}</artifactId><version>${version}</version></dependency>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- Written by pix: the runtime of a single-node Apache Kafka broker, resolved from Maven Central. -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>pix.local</groupId>
  <artifactId>kafka-runtime</artifactId>
  <version>${KAFKA_VERSION}</version>
  <packaging>pom</packaging>
  <dependencies>
${dependency('org.apache.kafka', `kafka_${SCALA_VERSION}`, KAFKA_VERSION)}
${dependency('org.slf4j', 'slf4j-api', SLF4J_VERSION)}
${dependency('org.apache.logging.log4j', 'log4j-slf4j2-impl', LOG4J_VERSION)}
${dependency('org.apache.logging.log4j', 'log4j-core', LOG4J_VERSION)}
  </dependencies>
</project>
`;
}

/**
 * The folder of Kafka's jars, fetched through Maven on first use. Later calls find them in the
 * cache and touch no network. The jars land in a temporary folder renamed at the end, so an
 * interrupted download is never mistaken for a complete one.
 */
export async function ensureKafkaJars(
  cache: string,
  env: NodeJS.ProcessEnv,
  onProgress: (message: string) => void,
): Promise<string> {
  const home = join(cache, `kafka-${KAFKA_VERSION}`);
  const libs = join(home, 'libs');
  if (existsSync(join(libs, `kafka_${SCALA_VERSION}-${KAFKA_VERSION}.jar`))) return libs;

  const mvn = requireMaven(env);
  onProgress(`fetching Apache Kafka ${KAFKA_VERSION} from Maven Central (first start only)…`);
  await mkdir(home, { recursive: true });
  await writeFile(join(home, 'pom.xml'), kafkaPom());
  const partial = join(home, `libs.partial-${process.pid}`);
  await rm(partial, { recursive: true, force: true });
  const output = await run(mvn, [
    '-B',
    '-q',
    '-f',
    join(home, 'pom.xml'),
    'dependency:copy-dependencies',
    `-DoutputDirectory=${partial}`,
    '-DincludeScope=runtime',
  ]);
  if (output.code !== 0 || !existsSync(join(partial, `kafka_${SCALA_VERSION}-${KAFKA_VERSION}.jar`))) {
    await rm(partial, { recursive: true, force: true });
    throw new PixError(
      'LOCAL_BROKER',
      `Maven could not fetch Apache Kafka ${KAFKA_VERSION}: ${lastLines(output.text, 5)}`,
      {
        retryable: true,
        hint: 'Check that Maven Central can be reached (and any Maven proxy settings), then run again.',
      },
    );
  }
  await rm(libs, { recursive: true, force: true });
  await rename(partial, libs);
  onProgress(`cached ${(await readdir(libs)).length} jars in ${libs}`);
  return libs;
}

function run(command: string, args: string[]): Promise<{ code: number; text: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), MAVEN_BOUND_MS);
    child.on('error', (error) => resolve({ code: 1, text: error.message }));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, text });
    });
  });
}

export function lastLines(text: string, count: number): string {
  // Maven's -B output still carries ANSI colour codes on some versions.
  // eslint-disable-next-line no-control-regex -- stripping escape sequences is the point
  const plain = text.replace(/\u001b\[[0-9;]*m/g, '');
  return plain.trim().split('\n').slice(-count).join(' | ') || 'no output';
}
