import ts from 'typescript';

/**
 * The security modules only help if startup calls them. This reads electron/main/index.ts
 * (the team lead's startup file) and checks that it does, and that the two calls Electron only
 * honours before `ready` are not made inside a ready callback.
 */

export const REQUIRED_CALLS = [
  'applyAppSwitches',
  'registerAppSchemePrivileges',
  'installPermissionHandlers',
  'installCspHeaders',
  'handleAppProtocol',
  'createMainWindow',
] as const;

export const BEFORE_READY_CALLS = ['applyAppSwitches', 'registerAppSchemePrivileges'] as const;

function calleeName(call: ts.CallExpression): string {
  const callee = call.expression;
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return '';
}

/** True when `node` sits inside a function passed to whenReady().then(…) or app.on('ready', …). */
function insideReadyCallback(node: ts.Node): boolean {
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent) {
    if (!(ts.isArrowFunction(current) || ts.isFunctionExpression(current))) continue;
    const call = current.parent;
    if (!call || !ts.isCallExpression(call)) continue;
    const text = call.expression.getText();
    if (/whenReady\(\)\s*\.then$/.test(text)) return true;
    const first = call.arguments[0];
    if (/\.(?:on|once)$/.test(text) && first && ts.isStringLiteral(first) && first.text === 'ready') return true;
  }
  return false;
}

/** Whether the call's first argument is an object literal with this property. */
function passesProperty(call: ts.CallExpression, property: string): boolean {
  const options = call.arguments[0];
  if (!options || !ts.isObjectLiteralExpression(options)) return false;
  return options.properties.some(
    (p) => (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) && p.name.getText() === property,
  );
}

export function mainWiringViolations(source: string, fileName = 'electron/main/index.ts'): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const calls: ts.CallExpression[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node)) calls.push(node);
    ts.forEachChild(node, visit);
  };
  visit(file);

  const violations: string[] = [];
  for (const name of REQUIRED_CALLS) {
    if (!calls.some((call) => calleeName(call) === name)) violations.push(`${fileName}: never calls ${name}()`);
  }
  for (const call of calls) {
    const name = calleeName(call);
    if ((BEFORE_READY_CALLS as readonly string[]).includes(name) && insideReadyCallback(call)) {
      violations.push(`${fileName}: calls ${name}() after ready (Electron ignores it then)`);
    }
    // The tested helpers, not an inline copy of them.
    if (name === 'handle' && ts.isStringLiteral(call.arguments[0] ?? call) && call.arguments[0]?.getText() === "'app'")
      violations.push(`${fileName}: handles app:// inline (use handleAppProtocol)`);
    if (name === 'onHeadersReceived')
      violations.push(`${fileName}: sets response headers inline (use installCspHeaders)`);
    if (name === 'loadFile') violations.push(`${fileName}: loads a file:// page (serve the UI from app://)`);
    if (name === 'appendSwitch')
      violations.push(`${fileName}: appends a Chromium switch (allowed ones go through security.ts)`);
    // The log must know the keys the services hold at run time (Plaid's secret, the team database password).
    if (name === 'createLogger' && !passesProperty(call, 'secrets'))
      violations.push(`${fileName}: creates its logger without the run-time secrets (createLogger({ secrets }))`);
  }
  return violations;
}
