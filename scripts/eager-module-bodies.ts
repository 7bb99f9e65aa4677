import ts from 'typescript';

/**
 * esbuild's bundle puts each module that a dynamic import() reaches, and each module those import,
 * in a function that runs the module's body on first use: `var init_x = __esm(() => { … })`,
 * minified `var X=h(()=>{…})`. V8 compiles such a function only when it first runs, and Node's
 * compile cache keeps what V8 compiled with the file, so every start compiled each module body
 * again. V8 compiles with the file a function that stands in parentheses (its heuristic for a
 * function called at once), and the cache then keeps it: this puts each wrapper's `()=>{…}` in
 * parentheses, which changes nothing else. The bodies still run when, and in the order, they ran
 * before.
 *
 * Throws when the code has no such wrapper: esbuild's output changed, and the bundle would start
 * slower without anyone seeing it.
 */
export function eagerModuleBodies(code: string): string {
  const file = ts.createSourceFile('bundle.js', code, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const bodies = moduleBodies(file);
  if (bodies.length === 0) {
    throw new Error("eagerModuleBodies: no module wrapper of esbuild's (`var X = wrap(() => { … })`) was found");
  }
  let eager = code;
  // From the end, so that each edit leaves the positions of those before it as they were.
  for (const body of bodies.reverse()) {
    eager = `${eager.slice(0, body.getStart(file))}(${eager.slice(body.getStart(file), body.end)})${eager.slice(body.end)}`;
  }
  return eager;
}

/**
 * The module bodies of the bundle: the argument of each top-level `var X = wrap(() => { … })`
 * where `wrap` is esbuild's lazy-initialisation helper, a top-level `var wrap = (fn, …) => () => …`.
 */
function moduleBodies(file: ts.SourceFile): ts.ArrowFunction[] {
  const topLevel = file.statements
    .filter(ts.isVariableStatement)
    .flatMap((statement) => [...statement.declarationList.declarations]);
  const helpers = new Set(
    topLevel
      .filter(({ initializer }) => initializer && isFunctionReturningFunction(initializer))
      .map(({ name }) => name.getText(file)),
  );
  return topLevel.flatMap(({ initializer }) => {
    if (!initializer || !ts.isCallExpression(initializer) || initializer.arguments.length !== 1) return [];
    const [body] = initializer.arguments;
    const wrapped =
      ts.isIdentifier(initializer.expression) &&
      helpers.has(initializer.expression.text) &&
      body !== undefined &&
      ts.isArrowFunction(body) &&
      body.parameters.length === 0 &&
      body.modifiers === undefined &&
      ts.isBlock(body.body);
    return wrapped ? [body] : [];
  });
}

/** `(fn, …) => () => …` or `(fn, …) => function () { … }`: the shape of esbuild's `__esm`. */
function isFunctionReturningFunction(node: ts.Expression): boolean {
  return (
    ts.isArrowFunction(node) &&
    node.parameters.length > 0 &&
    (ts.isArrowFunction(node.body) || ts.isFunctionExpression(node.body))
  );
}
