/**
 * How the suite finds its browser (no page needed): $CHROMIUM_PATH first, then the system
 * locations; nothing found is a failure with the install hint, never a skip or a download.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findChromium, INSTALL_HINT } from './support/chromium';
import { expect, test } from './support/fixtures';

let dir: string;
let executableA: string;
let executableB: string;
let notExecutable: string;

test.beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'chromium-finder-'));
  [executableA, executableB, notExecutable] = ['a', 'b', 'plain'].map((name) => join(dir, name)) as [string, string, string];
  for (const file of [executableA, executableB, notExecutable]) writeFileSync(file, '#!/bin/sh\n');
  chmodSync(executableA, 0o755);
  chmodSync(executableB, 0o755);
});
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('CHROMIUM_PATH wins over the system locations', () => {
  expect(findChromium({ CHROMIUM_PATH: executableB }, [executableA])).toBe(executableB);
});

test('without CHROMIUM_PATH the first executable system location is used', () => {
  expect(findChromium({}, [join(dir, 'missing'), notExecutable, executableA, executableB])).toBe(executableA);
});

test('a CHROMIUM_PATH that is not an executable fails, naming it and the install hint', () => {
  expect(() => findChromium({ CHROMIUM_PATH: notExecutable }, [executableA])).toThrow(notExecutable);
  expect(() => findChromium({ CHROMIUM_PATH: notExecutable }, [executableA])).toThrow(INSTALL_HINT);
});

test('no Chromium anywhere fails with the exact install hint', () => {
  expect(INSTALL_HINT).toBe('apt-get install -y chromium');
  expect(() => findChromium({}, [join(dir, 'missing'), notExecutable])).toThrow(`Install it: ${INSTALL_HINT}`);
});
