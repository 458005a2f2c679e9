// Fails when a TypeScript file escapes its types: `x as T` (but `as const`), `<T>x`, `x!`, the `any` type, or a
// `@ts-ignore` / `@ts-expect-error` / `@ts-nocheck` comment. Read with the compiler's own parser, so words in
// comments and strings are not mistaken for casts. Usage: node no-casts.mjs FILE...
import { readFileSync } from "node:fs";
import ts from "typescript";

let found = 0;
for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, "utf8");
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const report = (node, what) => {
    const { line, character } = source.getLineAndCharacterOfPosition(node.getStart(source));
    console.error(`${file}:${line + 1}:${character + 1}: ${what}: ${node.getText(source)}`);
    found += 1;
  };
  const visit = (node) => {
    if (ts.isAsExpression(node) && !(ts.isTypeReferenceNode(node.type) && node.type.typeName.getText(source) === "const")) {
      report(node, "a cast");
    } else if (ts.isTypeAssertionExpression(node)) {
      report(node, "a cast");
    } else if (ts.isNonNullExpression(node)) {
      report(node, "a non-null assertion");
    } else if (node.kind === ts.SyntaxKind.AnyKeyword) {
      report(node, "the any type");
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  for (const match of text.matchAll(/@ts-(ignore|expect-error|nocheck)/g)) {
    console.error(`${file}: a @ts-${match[1]} comment`);
    found += 1;
  }
}
process.exit(found === 0 ? 0 : 1);
