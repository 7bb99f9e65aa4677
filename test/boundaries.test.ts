import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src', import.meta.url));
const TESTS = fileURLToPath(new URL('.', import.meta.url));

function sources(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sources(join(folder, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(folder, entry.name)]
        : [],
  );
}

/** Every module each source file imports, as written: `kafkajs`, `../kafka/index.js`. */
const imports = sources(SRC).map((path) => ({
  file: relative(SRC, path),
  from: [...readFileSync(path, 'utf8').matchAll(/^(?:import|export)[^;]*? from '([^']+)';/gms)].map(
    (match) => match[1] ?? '',
  ),
}));

describe('the Kafka layer is one boundary', () => {
  it('is imported from src/kafka/index.ts only, and kafkajs only inside it', () => {
    const outside = imports.filter(({ file }) => !file.startsWith('kafka/'));
    const crossings = outside.flatMap(({ file, from }) =>
      from
        .filter((module) => module.startsWith('kafkajs') || /(^|\/)kafka\/(?!index\.js$)/.test(module))
        .map((module) => `${file} imports ${module}`),
    );
    expect(crossings).toEqual([]);
    // The imports were read at all: commands reach Kafka through the boundary.
    expect(outside.filter(({ from }) => from.includes('../kafka/index.js')).length).toBeGreaterThan(10);
  });

  it("never reaches into kafkajs's private modules, nor up into metrics", () => {
    const wrong = imports.flatMap(({ file, from }) =>
      from
        .filter((module) => module.startsWith('kafkajs/') || (file.startsWith('kafka/') && module.includes('metrics/')))
        .map((module) => `${file} imports ${module}`),
    );
    expect(wrong).toEqual([]);
  });

  it("is not reached around by the tests either: they check pix against kafkajs's public API, kcat and the protocol", () => {
    const reaching = sources(TESTS).filter((path) => /['"]kafkajs\/src\//.test(readFileSync(path, 'utf8')));
    expect(reaching.map((path) => relative(TESTS, path))).toEqual([]);
  });
});

describe('oclif is the CLI wing', () => {
  it('is imported by src/cli/ and src/commands/ only: the domain folders take plain options', () => {
    const wing = /^(cli|commands)\//;
    const crossings = imports.flatMap(({ file, from }) =>
      wing.test(file)
        ? []
        : from.filter((module) => module.startsWith('@oclif/')).map((module) => `${file} imports ${module}`),
    );
    expect(crossings).toEqual([]);
    // The imports were read at all: every command file imports oclif or the wing's base command.
    expect(imports.filter(({ file, from }) => wing.test(file) && from.includes('@oclif/core')).length).toBeGreaterThan(
      10,
    );
  });

  it("is not reached into by the domain: commands' work takes options and a context, never flags", () => {
    const wing = /^(cli|commands)\//;
    const reaching = imports.flatMap(({ file, from }) =>
      wing.test(file)
        ? []
        : from.filter((module) => /(^|\/)cli\//.test(module)).map((module) => `${file} imports ${module}`),
    );
    expect(reaching).toEqual([]);
    // The imports were read at all: the command files run work from the domain folders.
    const domainModule = (module: string): boolean => module.startsWith('.') && !/(^|\/)cli\//.test(module);
    expect(
      imports.filter(({ file, from }) => file.startsWith('commands/') && from.some(domainModule)).length,
    ).toBeGreaterThan(10);
  });
});
