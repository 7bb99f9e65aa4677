import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { PixError } from '../errors.js';
import { KAFKA_VERSION, LOG4J_VERSION, SCALA_VERSION, SLF4J_VERSION } from './kafka-version.js';
import { requireMaven } from './prerequisites.js';

/** Maven gets ten minutes: the first download is about 45 MB. */
const MAVEN_BOUND_MS = 10 * 60_000;

/** A Maven project of runtime dependencies only: what pix asks Maven Central for. */
function runtimePom(artifactId: string, what: string, main: [group: string, artifact: string]): string {
  const dependency = (group: string, artifact: string, version: string): string =>
    `    <dependency><groupId>${group}</groupId><artifactId>${artifact}</artifactId><version>${version}</version></dependency>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- Written by pix: ${what}, resolved from Maven Central. -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>pix.local</groupId>
  <artifactId>${artifactId}</artifactId>
  <version>${KAFKA_VERSION}</version>
  <packaging>pom</packaging>
  <dependencies>
${dependency(main[0], main[1], KAFKA_VERSION)}
${dependency('org.slf4j', 'slf4j-api', SLF4J_VERSION)}
${dependency('org.apache.logging.log4j', 'log4j-slf4j2-impl', LOG4J_VERSION)}
${dependency('org.apache.logging.log4j', 'log4j-core', LOG4J_VERSION)}
  </dependencies>
</project>
`;
}

export function kafkaPom(): string {
  return runtimePom('kafka-runtime', 'the runtime of an Apache Kafka broker', [
    'org.apache.kafka',
    `kafka_${SCALA_VERSION}`,
  ]);
}

/**
 * MirrorMaker 2 (connect-mirror and the Connect runtime it needs). slf4j-api 2 is named so that
 * Maven does not pick Connect's 1.7, which finds no log4j2 binding and logs nothing.
 */
function mirrorPom(): string {
  return runtimePom('mirror-maker-runtime', "the runtime of Apache Kafka's MirrorMaker 2", [
    'org.apache.kafka',
    'connect-mirror',
  ]);
}

/** The folder of MirrorMaker 2's jars, fetched through Maven on first use like the broker's. */
export function ensureMirrorJars(
  cache: string,
  env: NodeJS.ProcessEnv,
  onProgress: (message: string) => void,
): Promise<string> {
  return ensureJars(cache, env, onProgress, {
    folder: `mirror-maker-${KAFKA_VERSION}`,
    what: `MirrorMaker 2 of Apache Kafka ${KAFKA_VERSION}`,
    pom: mirrorPom(),
    marker: `connect-mirror-${KAFKA_VERSION}.jar`,
  });
}

/**
 * The folder of Kafka's jars, fetched through Maven on first use. Later calls find them in the
 * cache and touch no network. The jars land in a temporary folder renamed at the end, so an
 * interrupted download is never mistaken for a complete one.
 */
export function ensureKafkaJars(
  cache: string,
  env: NodeJS.ProcessEnv,
  onProgress: (message: string) => void,
): Promise<string> {
  return ensureJars(cache, env, onProgress, {
    folder: `kafka-${KAFKA_VERSION}`,
    what: `Apache Kafka ${KAFKA_VERSION}`,
    pom: kafkaPom(),
    marker: `kafka_${SCALA_VERSION}-${KAFKA_VERSION}.jar`,
  });
}

async function ensureJars(
  cache: string,
  env: NodeJS.ProcessEnv,
  onProgress: (message: string) => void,
  { folder, what, pom, marker }: { folder: string; what: string; pom: string; marker: string },
): Promise<string> {
  const home = join(cache, folder);
  const libs = join(home, 'libs');
  if (existsSync(join(libs, marker))) return libs;

  const mvn = requireMaven(env);
  onProgress(`fetching ${what} from Maven Central (first start only)…`);
  await mkdir(home, { recursive: true });
  await writeFile(join(home, 'pom.xml'), pom);
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
  if (output.code !== 0 || !existsSync(join(partial, marker))) {
    await rm(partial, { recursive: true, force: true });
    throw new PixError('LOCAL_BROKER', `Maven could not fetch ${what}: ${lastLines(output.text, 5)}`, {
      retryable: true,
      hint: 'Check that Maven Central can be reached (and any Maven proxy settings), then run again.',
    });
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
