import { Script } from 'node:vm';

import { build, type Plugin } from 'esbuild';
import { describe, expect, it } from 'vitest';

import { eagerModuleBodies } from '../../scripts/eager-module-bodies.js';

/**
 * A bundle as esbuild makes the fast path's: CommonJS, minified, with a module that a dynamic
 * import() reaches, so that esbuild wraps it and the modules it imports in lazy initialisers.
 * Each module body says in `order` when it ran.
 */
const SOURCES: Record<string, string> = {
  'entry.js': `
    import { order } from './order.js';
    import { greeting } from './greeting.js';
    export async function run() {
      order.push('run');
      const { shout } = await import('./shout.js');
      return { text: shout(greeting), order };
    }`,
  'order.js': `export const order = [];`,
  'greeting.js': `
    import { order } from './order.js';
    order.push('greeting');
    export const greeting = ['hello', 'pix'].map((word) => word.trim()).join(' ');`,
  'shout.js': `
    import { order } from './order.js';
    order.push('shout');
    const marks = new Map([['!', (text) => text + '!'], ['?', (text) => text + '?']]);
    class Shouter {
      level = this.constructor.name.length;
      loud(text) { return marks.get('!')(text.toUpperCase()); }
    }
    export function shout(text) { return new Shouter().loud(text); }`,
};

const virtualFiles: Plugin = {
  name: 'virtual-files',
  setup(setup) {
    setup.onResolve({ filter: /.*/ }, ({ path }) => ({ path: path.replace(/^\.\//, ''), namespace: 'virtual' }));
    setup.onLoad({ filter: /.*/, namespace: 'virtual' }, ({ path }) => ({ contents: SOURCES[path], loader: 'js' }));
  },
};

async function bundle(): Promise<string> {
  const { outputFiles } = await build({
    entryPoints: ['entry.js'],
    bundle: true,
    format: 'cjs',
    platform: 'node',
    minify: true,
    write: false,
    outfile: 'out.cjs',
    plugins: [virtualFiles],
  });
  return outputFiles[0]!.text;
}

/** Runs CommonJS code as Node's loader would, and returns its exports. */
function load(code: string): { run: () => Promise<{ text: string; order: string[] }> } {
  const module = { exports: {} };
  const wrapper = new Script(`(function (exports, require, module) {${code}\n})`).runInThisContext() as (
    exports: object,
    require: NodeJS.Require,
    module: { exports: object },
  ) => void;
  wrapper(module.exports, require, module);
  return module.exports as ReturnType<typeof load>;
}

/** The size of the code cache V8 makes as it compiles the code: what Node's compile cache keeps. */
function cacheBytes(code: string): number {
  return new Script(code).createCachedData().length;
}

describe('eagerModuleBodies', () => {
  it('keeps what the bundle does, and when each module body runs', async () => {
    const lazy = await bundle();
    const eager = eagerModuleBodies(lazy);
    expect(eager).not.toBe(lazy);
    const expected = { text: 'HELLO PIX!', order: ['greeting', 'run', 'shout'] };
    expect(await load(lazy).run()).toEqual(expected);
    expect(await load(eager).run()).toEqual(expected);
  });

  it('has V8 compile the module bodies with the file, so that its code cache holds them', async () => {
    const lazy = await bundle();
    // The bodies' own code (the class, the map of marks) is in the cache only once they are eager.
    expect(cacheBytes(eagerModuleBodies(lazy))).toBeGreaterThan(cacheBytes(lazy) + 500);
  });

  it("puts in parentheses the bodies esbuild's wrapper takes, and nothing else", () => {
    const code = 'var w=(e,t)=>()=>(e&&(t=e(e=0)),t);var a=w(()=>{f()}),b=g(()=>{f()}),c=w((x)=>{f(x)});';
    expect(eagerModuleBodies(code)).toBe(
      'var w=(e,t)=>()=>(e&&(t=e(e=0)),t);var a=w((()=>{f()})),b=g(()=>{f()}),c=w((x)=>{f(x)});',
    );
  });

  it("fails, saying so, on code without esbuild's module wrappers", () => {
    expect(() => eagerModuleBodies('var x=1;console.log(x);')).toThrow(/no module wrapper of esbuild's/);
  });
});
