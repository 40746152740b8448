import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

// One definition per console query (components/console/shell/queries.ts): no screen or page builds a
// query key, a query function or a hydration of its own. Proven to fire on planted violations.

const registry = "components/console/shell/queries.ts";
const prefetch = "components/console/shell/prefetch.tsx";
const provider = "components/console/shell/query-provider.tsx";
const queryHooks = new Set([
  "useQuery",
  "useSuspenseQuery",
  "useInfiniteQuery",
  "useSuspenseInfiniteQuery",
  "useQueries",
  "useSuspenseQueries",
]);
const fromRegistry = (node: ts.Node, file: ts.SourceFile) => node.getText(file).startsWith("consoleQueries.");

/** Where a file builds a query outside the registry, as `line: what`. */
function registryViolations(fileName: string, text: string): string[] {
  const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: string[] = [];
  const report = (node: ts.Node, what: string) =>
    found.push(`${file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1}: ${what}`);
  const visit = (node: ts.Node) => {
    if (ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node)) {
      const name = node.name.getText(file);
      if (name === "queryFn") report(node, "a query function outside the registry");
      const value = ts.isPropertyAssignment(node) ? node.initializer : node.name;
      if (name === "queryKey" && !fromRegistry(value, file)) report(node, "a query key not taken from consoleQueries");
    }
    if (ts.isCallExpression(node)) {
      const callee = node.expression.getText(file);
      const first = node.arguments[0];
      if (queryHooks.has(callee) && first && !ts.isObjectLiteralExpression(first) && !fromRegistry(first, file))
        report(node, `${callee} with options not from consoleQueries`);
      if (/\.(setQueryData|fetchQuery|prefetchQuery)$/.test(callee) && first && !fromRegistry(first, file))
        report(node, `${callee} with a key not from consoleQueries`);
    }
    if (ts.isIdentifier(node) && ["HydrationBoundary", "dehydrate"].includes(node.text))
      report(node, `${node.text} outside <Prefetch>`);
    if (ts.isNewExpression(node) && node.expression.getText(file) === "QueryClient")
      report(node, "a QueryClient outside <Prefetch> and the provider");
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((path) => !path.startsWith(join("app", "api")));
}

describe("the console query registry is the only source of query keys and fetchers", () => {
  it.each([
    ['useQuery({ queryKey: ["members"] });', "an inline key"],
    ["useSuspenseQuery({ ...consoleQueries.members(), queryFn: other });", "a fetcher swapped in"],
    ['queryClient.invalidateQueries({ queryKey: ["members"] });', "an invalidation by a hand-written key"],
    ["useSuspenseQuery(membersOptions);", "options from elsewhere"],
    ['queryClient.setQueryData(["members"], rows);', "a hand-written cache write"],
    ["const client = new QueryClient();", "a query client of its own"],
    ["export const Page = () => <HydrationBoundary state={s} />;", "a hydration of its own"],
  ])("refuses %s (%s)", (code) => {
    expect(registryViolations("components/console/planted.tsx", code)).toHaveLength(1);
  });

  it("accepts registry entries, spread with options, and their keys", () => {
    const code = [
      "const a = useSuspenseQuery(consoleQueries.members());",
      "const b = useQuery({ ...consoleQueries.request(id), enabled: id !== null });",
      "void queryClient.invalidateQueries({ queryKey: consoleQueries.members().queryKey });",
      "queryClient.setQueryData(consoleQueries.settings().queryKey, settings);",
    ].join("\n");
    expect(registryViolations("components/console/planted.tsx", code)).toEqual([]);
  });

  it("holds for every component and page", () => {
    const files = [...sourceFiles("components"), ...sourceFiles("app")].filter(
      (path) => ![registry, prefetch, provider].includes(path),
    );
    const violations = files.flatMap((path) =>
      registryViolations(path, readFileSync(path, "utf8")).map((v) => `${path}:${v}`),
    );
    expect(violations).toEqual([]);
  });
});
