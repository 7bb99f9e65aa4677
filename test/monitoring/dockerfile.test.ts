import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { basename, isAbsolute, join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { freshTopics, messageCount, TEST_BROKERS } from '../helpers/kafka.js';
import { testFolder } from '../helpers/temp.js';

/** One stage of a Dockerfile, as the instructions docker/Dockerfile uses give it. */
interface Stage {
  image: string;
  name?: string;
  steps: { instruction: string; argument: string }[];
}

function stagesOf(dockerfile: string): Stage[] {
  const stages: Stage[] = [];
  const lines = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  for (const line of lines) {
    const [instruction = '', ...rest] = line.split(/\s+/);
    const argument = rest.join(' ');
    if (instruction === 'FROM') {
      const [image = '', as, name] = rest;
      stages.push({ image, ...(as?.toUpperCase() === 'AS' && name ? { name } : {}), steps: [] });
    } else {
      stages.at(-1)?.steps.push({ instruction, argument });
    }
  }
  return stages;
}

/** A stage's file system: a folder of the test standing for the image's root. */
interface Built {
  root: string;
  workdir: string;
  env: Record<string, string>;
  user?: string;
  entrypoint: string[];
  /** What the entrypoint is given when `docker run` names nothing. */
  cmd: string[];
}

/**
 * What a RUN sees: this machine's environment (its npm settings and cache), as a container's
 * without vitest's NODE_ENV=test, which would have oclif load src/ through tsx; temporary files in
 * the stage's own folder.
 */
function buildEnv(root: string): NodeJS.ProcessEnv {
  const { NODE_ENV: _vitests, ...machine } = process.env;
  const tmp = join(root, 'tmp');
  mkdirSync(tmp, { recursive: true });
  return { ...machine, TMPDIR: tmp, npm_config_prefer_offline: 'true' };
}

/**
 * Runs a stage's instructions on this machine, each container path a path under `root`: COPY from
 * the build context or an earlier stage, RUN through sh in WORKDIR with the stage's ENV. Docker
 * copies a folder's contents, not the folder, and a file into a destination that ends in a slash.
 */
function replay(stage: Stage, root: string, earlier: ReadonlyMap<string, Built>): Built {
  const built: Built = { root, workdir: '/', env: {}, entrypoint: [], cmd: [] };
  const inside = (path: string): string => join(root, isAbsolute(path) ? path : join(built.workdir, path));
  for (const { instruction, argument } of stage.steps) {
    if (instruction === 'WORKDIR') {
      built.workdir = argument;
      mkdirSync(inside('.'), { recursive: true });
    } else if (instruction === 'ENV') {
      const [key = '', value = ''] = argument.split('=');
      built.env[key] = value;
    } else if (instruction === 'COPY') {
      const words = argument.split(/\s+/);
      const from = words[0]?.startsWith('--from=')
        ? earlier.get(words.shift()?.slice('--from='.length) ?? '')
        : undefined;
      const destination = words.pop() ?? '';
      const target = inside(destination);
      for (const source of words) {
        const path = from ? join(from.root, source) : source;
        const intoFolder = destination.endsWith('/') || words.length > 1;
        cpSync(path, statSync(path).isDirectory() || !intoFolder ? target : join(target, basename(source)), {
          recursive: true,
        });
      }
    } else if (instruction === 'RUN') {
      execFileSync('sh', ['-c', argument], {
        cwd: inside('.'),
        env: { ...buildEnv(root), ...built.env },
        stdio: 'pipe',
        timeout: 300_000,
      });
    } else if (instruction === 'USER') {
      built.user = argument;
    } else if (instruction === 'ENTRYPOINT') {
      built.entrypoint = JSON.parse(argument) as string[];
    } else if (instruction === 'CMD') {
      built.cmd = JSON.parse(argument) as string[];
    } else {
      throw new Error(`the test does not know the Dockerfile instruction ${instruction}`);
    }
  }
  return built;
}

const dockerfile = readFileSync('docker/Dockerfile', 'utf8');
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  version: string;
  engines: { node: string };
  devDependencies: Record<string, string>;
};

describe('docker/Dockerfile, its stages replayed on this machine', () => {
  it('builds on a Node LTS that engines allows and runs pix from production dependencies only, as a user without privileges', async () => {
    const stages = stagesOf(dockerfile);
    expect(stages).toHaveLength(2);
    const lowest = Number(/>=\s*(\d+)/.exec(pkg.engines.node)?.[1]);
    for (const { image } of stages) {
      const major = Number(/^node:(\d+)-/.exec(image)?.[1]);
      // Even majors are Node's long-term support lines.
      expect({ image, allowed: major >= lowest && major % 2 === 0 }).toEqual({ image, allowed: true });
    }

    const folder = testFolder('dockerfile');
    const earlier = new Map<string, Built>();
    let image: Built | undefined;
    for (const [index, stage] of stages.entries()) {
      image = replay(stage, join(folder, `stage-${index}`), earlier);
      if (stage.name) earlier.set(stage.name, image);
    }
    if (!image) throw new Error('no stage');
    expect(image.user).toBeDefined();
    expect(['root', '0']).not.toContain(image.user);
    for (const name of Object.keys(pkg.devDependencies)) {
      expect({ name, present: existsSync(join(image.root, image.workdir, 'node_modules', name)) }).toEqual({
        name,
        present: false,
      });
    }

    // The image's command, its paths those of the replayed root, on the Node running the tests.
    const run = (args: string[]): string => {
      const [program, ...rest] = [...image.entrypoint, ...args];
      expect(program).toBe('node');
      return execFileSync(
        process.execPath,
        rest.map((arg) => (arg.startsWith('/') ? join(image.root, arg) : arg)),
        {
          cwd: join(image.root, image.workdir),
          env: { ...process.env, ...image.env, NO_COLOR: '1' },
          encoding: 'utf8',
        },
      );
    };
    expect(image.cmd).toEqual(['--help']);
    expect(run(image.cmd)).toContain('USAGE');
    expect(run(['--version'])).toContain(`pix/${pkg.version}`);
    const { prefix, topics, cleanup } = await freshTopics();
    try {
      const published = run([
        'publish',
        'price',
        '--id',
        'from-the-image',
        '--price',
        '1.5',
        '--topic-prefix',
        prefix,
        '--brokers',
        TEST_BROKERS.join(','),
      ]);
      const [priceTopic = ''] = topics.list(['price']);
      expect(published).toContain(`price from-the-image → ${priceTopic}`);
      expect(await messageCount(priceTopic)).toBe(1);
    } finally {
      await cleanup();
    }
  }, 600_000);
});
