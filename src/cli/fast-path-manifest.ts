import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** A flag as oclif.manifest.json records it (the build writes the manifest from the commands). */
export interface ManifestFlag {
  type: 'option' | 'boolean';
  required?: boolean;
  multiple?: boolean;
  options?: readonly string[];
  allowNo?: boolean;
  default?: unknown;
}

/** The part of oclif.manifest.json the fast path reads: each command's flags. */
export interface Manifest {
  commands: Record<string, { flags: Record<string, ManifestFlag> } | undefined>;
}

const OPTIONAL_FIELDS = ['required', 'multiple', 'options', 'allowNo', 'default'] as const;

/** What the fast path's parsers read of a flag (oclif's manifest also has its help texts). */
function narrowFlag(flag: ManifestFlag): ManifestFlag {
  const narrow: ManifestFlag = { type: flag.type };
  for (const field of OPTIONAL_FIELDS) if (field in flag) Object.assign(narrow, { [field]: flag[field] });
  return narrow;
}

/**
 * The publish commands of oclif's manifest with only what the fast path reads of their flags. The
 * whole manifest, every command's descriptions and examples, takes a start of `pix publish`
 * several milliseconds to parse; this part, a small fraction of that.
 */
export function fastPathManifest(full: Manifest): Manifest {
  const publishCommands = Object.entries(full.commands).filter(([id]) => id === 'publish' || id.startsWith('publish:'));
  return {
    commands: Object.fromEntries(
      publishCommands.map(([id, command]) => [
        id,
        {
          flags: Object.fromEntries(
            Object.entries(command?.flags ?? {}).map(([name, flag]) => [name, narrowFlag(flag)]),
          ),
        },
      ]),
    ),
  };
}

/** Where the build writes the fast path's manifest: beside the fast path's module and its bundle. */
export const FAST_PATH_MANIFEST_URL = new URL('./fast-path-manifest.json', import.meta.url);

/** Run by the build once oclif has written its manifest: `node dist/cli/fast-path-manifest.js`. */
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const full = JSON.parse(readFileSync(new URL('../../oclif.manifest.json', import.meta.url), 'utf8')) as Manifest;
  writeFileSync(FAST_PATH_MANIFEST_URL, `${JSON.stringify(fastPathManifest(full))}\n`);
}
