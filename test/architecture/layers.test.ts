import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The import graph of src/, read from the sources: arrows must point down the layers below, and there
 * must be no cycle between files. A new backward arrow fails here, naming the file and the import.
 */

const SRC = path.resolve(__dirname, '..', '..', 'src');

/** Layers from the top; a module may import its own folder or any layer further down, never a neighbour. */
const LAYERS: readonly (readonly string[])[] = [
  ['index.ts'],
  ['cli', 'entry'],
  ['server.ts'],
  ['grpc', 'http'],
  ['frontend', 'security'],
  ['otlp', 'ingest'],
  ['store', 'client'],
  ['domain'],
];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sources(full) : e.name.endsWith('.ts') ? [full] : [];
  });
}

/** The first path segment under src/ ("grpc", "server.ts", ...). */
function unitOf(file: string): string {
  return path.relative(SRC, file).split(path.sep)[0]!;
}

function layerOf(unit: string): number {
  const at = LAYERS.findIndex((layer) => layer.includes(unit));
  if (at < 0) throw new Error(`src/${unit} is in no layer of test/architecture/layers.test.ts: add it`);
  return at;
}

/** Relative imports of a file, resolved to files under src/ (type-only imports count too). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/(?:from|import)\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
    const target = path.resolve(path.dirname(file), m[1]!);
    if (target.startsWith(SRC + path.sep)) found.push(target.endsWith('.ts') ? target : `${target}.ts`);
  }
  return found;
}

const files = sources(SRC);
const graph = new Map(files.map((f) => [f, importsOf(f)] as const));
const rel = (f: string) => path.relative(SRC, f);

describe('import layers of src/', () => {
  it('points every import down the layers (index > cli, entry > server > grpc, http > frontend > otlp, ingest > store, client > domain)', () => {
    const backward: string[] = [];
    for (const [file, imports] of graph) {
      const from = unitOf(file);
      for (const target of imports) {
        const to = unitOf(target);
        if (from === to) continue;
        if (layerOf(to) <= layerOf(from)) backward.push(`${rel(file)} -> ${rel(target)}`);
      }
    }
    expect(backward).toEqual([]);
  });

  it('has no cycle between files', () => {
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (file: string, trail: string[]): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...trail.slice(trail.indexOf(file)), file].map(rel).join(' -> '));
        return;
      }
      state.set(file, 'open');
      for (const next of graph.get(file) ?? []) visit(next, [...trail, file]);
      state.set(file, 'done');
    };
    for (const file of files) visit(file, []);
    expect(cycles).toEqual([]);
  });

  it('keeps server code out of the client entry: nothing it loads reaches a backend, the server or a transport', () => {
    const reached = new Set<string>();
    const walk = (file: string): void => {
      if (reached.has(file)) return;
      reached.add(file);
      for (const next of graph.get(file) ?? []) walk(next);
    };
    walk(path.join(SRC, 'entry', 'client.ts'));
    walk(path.join(SRC, 'index.ts'));
    const server = [...reached].map(rel).filter((f) => /^(server\.ts|grpc|http|ingest|frontend|otlp|cli)\b|^store\/(memory|sqlite|mongo)\b|^store\/(lightning-store|create-store)\.ts$/.test(f));
    expect(server).toEqual([]);
  });
});
