/**
 * The bytes-by-feature bench traces every output byte through its source map to a source file and
 * a top-level declaration. Checked here against a map TypeScript itself writes, so a decoding
 * slip cannot silently move bytes between features.
 */
import { describe, expect, it } from '@jest/globals';
import ts from 'typescript';

// @ts-expect-error: a plain .mjs script without type declarations
import { decodeMappings, featureOf, topLevelDeclarations } from '../../bench/bytes-by-feature.mjs';

const SOURCE = [
  'export class HttpClient {', // line 0
  '  get(url: string) {',
  '    return url;',
  '  }',
  '}',
  '',
  'export function ɵɵdefer(index: number) {', // line 6
  '  return index * 2;',
  '}',
  'const a = 1, b = 2;', // line 9
].join('\n');

describe('bytes-by-feature', () => {
  it('decodes a source map TypeScript wrote: each output line leads back to the source line it came from', () => {
    const { outputText, sourceMapText } = ts.transpileModule(SOURCE, {
      compilerOptions: { sourceMap: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
      fileName: 'http.ts',
    });
    const map = JSON.parse(sourceMapText!) as { mappings: string; sources: string[] };
    const lines = decodeMappings(map.mappings) as [number, number, number][][];
    const outputLines = outputText.split('\n');
    const originalLineOf = (snippet: string) => {
      const index = outputLines.findIndex((line) => line.includes(snippet));
      const column = outputLines[index].indexOf(snippet);
      // The segment that covers the snippet's first character.
      const segment = [...lines[index]].reverse().find(([generated]) => generated <= column);
      return segment?.[2];
    };
    expect(map.sources).toEqual(['http.ts']);
    expect(originalLineOf('return url')).toBe(2);
    expect(originalLineOf('return index * 2')).toBe(7);
    expect(originalLineOf('b = 2')).toBe(9);
  });

  it('decodes negative deltas and segments without a source', () => {
    // Line 0: column 0 → source 0 line 0, column 4 (unmapped); line 1: column 2 → source 1 line 5,
    // column 4 → source 0 line 3 (the source and line go back: negative deltas).
    expect(decodeMappings('AAAA,I;ECCK,EDEF')).toEqual([
      [
        [0, 0, 0],
        [4, -1, -1],
      ],
      [
        [2, 1, 1],
        [4, 0, 3],
      ],
    ]);
  });

  it('names the top-level declarations with their lines', () => {
    expect(topLevelDeclarations('http.ts', SOURCE)).toEqual([
      [0, 4, 'HttpClient'],
      [6, 8, 'ɵɵdefer'],
      [9, 9, 'a,b'],
    ]);
  });

  it('puts a declaration in the feature of its file and name, and nothing else in any', () => {
    expect(featureOf('../../node_modules/@angular/common/fesm2022/_module-chunk.mjs', 'HttpClient')).toBe(
      "Angular's HTTP code (HttpClient…)",
    );
    expect(featureOf('node_modules/@angular/core/fesm2022/_debug_node-chunk.mjs', 'ɵɵdefer')).toBe('the `@defer` runtime');
    expect(featureOf('node_modules/@angular/core/fesm2022/_debug_node-chunk.mjs', 'ɵɵelementStart')).toBeNull();
    expect(featureOf('src/app/auth/angular/auth-service.ts', 'AuthService')).toBe('our auth binding (auth/angular)');
    expect(featureOf('src/app/auth/angular/auth-interceptor.ts', 'authInterceptor')).toBe('our HTTP interceptor and API prefixes');
  });
});
