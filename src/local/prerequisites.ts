import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

import { PixError } from '../errors.js';

const DOCKER_ALTERNATIVE = 'Or run Kafka with Docker instead: docker compose -f docker/compose.yml up -d kafka';

/** `$JAVA_HOME/bin/java` when JAVA_HOME is set, else `java` from PATH. */
function javaCommand(env: NodeJS.ProcessEnv): string {
  return env.JAVA_HOME ? join(env.JAVA_HOME, 'bin', 'java') : 'java';
}

/** keytool, which comes with every JDK and JRE beside java: found the way java is. */
export function keytoolCommand(env: NodeJS.ProcessEnv): string {
  return env.JAVA_HOME ? join(env.JAVA_HOME, 'bin', 'keytool') : 'keytool';
}

/** The major version from `java -version` output: `openjdk version "17.0.15"` → 17, `"1.8.0"` → 8. */
export function javaMajorVersion(versionOutput: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!match) return undefined;
  const first = Number(match[1]);
  return first === 1 ? Number(match[2]) : first;
}

export function requireJava(env: NodeJS.ProcessEnv): string {
  const java = javaCommand(env);
  const probe = spawnSync(java, ['-version'], { encoding: 'utf8' });
  if (probe.error) {
    throw new PixError(
      'LOCAL_BROKER',
      `Java 17 or newer is needed to run the local broker, and '${java}' was not found`,
      {
        hint: `Install it (Debian or Ubuntu: apt-get install openjdk-17-jre-headless). ${DOCKER_ALTERNATIVE}`,
      },
    );
  }
  const major = javaMajorVersion(`${probe.stderr}${probe.stdout}`);
  if (major === undefined || major < 17) {
    throw new PixError(
      'LOCAL_BROKER',
      `Java 17 or newer is needed to run the local broker; '${java}' is Java ${major ?? 'of an unknown version'}`,
      {
        hint: `Install Java 17+ or point JAVA_HOME at one. ${DOCKER_ALTERNATIVE}`,
      },
    );
  }
  return java;
}

export function requireMaven(env: NodeJS.ProcessEnv): string {
  const mvn = env.PIX_MAVEN || 'mvn';
  const probe = spawnSync(mvn, ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new PixError(
      'LOCAL_BROKER',
      `Maven is needed once, to fetch Apache Kafka's jars from Maven Central, and '${mvn}' was not found`,
      {
        hint: `Install it (Debian or Ubuntu: apt-get install maven). ${DOCKER_ALTERNATIVE}`,
      },
    );
  }
  return mvn;
}
