/**
 * The package graph as package.json files declare it: dependencies point one way (no cycle, not
 * even through devDependencies), and drawing charts installs no serial or I2C driver.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

const manifests = new Map<string, Manifest>();
for (const dir of [...readdirSync(join(ROOT, 'packages')).map((d) => join('packages', d)), 'scripts']) {
  const m = JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8')) as Manifest;
  manifests.set(m.name, m);
}

const allDeps = (m: Manifest) => ({ ...m.dependencies, ...m.devDependencies, ...m.optionalDependencies });

/** Every package `name` needs at run time, transitively, as far as the workspace declares it. */
function runtimeClosure(name: string, seen = new Set<string>()): Set<string> {
  const m = manifests.get(name);
  for (const dep of Object.keys({ ...m?.dependencies, ...m?.optionalDependencies })) {
    if (seen.has(dep)) continue;
    seen.add(dep);
    runtimeClosure(dep, seen);
  }
  return seen;
}

describe('workspace package graph', () => {
  it('has no cycle through dependencies or devDependencies', () => {
    const cycles: string[] = [];
    const visit = (name: string, path: string[]): void => {
      if (path.includes(name)) {
        cycles.push([...path.slice(path.indexOf(name)), name].join(' → '));
        return;
      }
      for (const dep of Object.keys(allDeps(manifests.get(name)!))) {
        if (manifests.has(dep)) visit(dep, [...path, name]);
      }
    };
    for (const name of manifests.keys()) visit(name, []);
    expect(cycles).toEqual([]);
    expect(manifests.size).toBeGreaterThanOrEqual(6);
  });

  it('lets graph draw charts without serialport, i2c-bus, the poller or the simulator', () => {
    const needs = runtimeClosure('@b-route/graph');
    for (const absent of [
      'serialport',
      'i2c-bus',
      '@b-route/poller',
      '@b-route/simulator',
      '@b-route/echonet',
    ]) {
      expect(needs.has(absent), absent).toBe(false);
    }
    expect(needs.has('@b-route/store')).toBe(true);
  });

  it('keeps every workspace import in scripts/ on a package entry point', () => {
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.name === 'node_modules') continue;
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith('.ts') && /from '(\.\.\/)+packages\//.test(readFileSync(path, 'utf8')))
          offenders.push(path);
      }
    };
    walk(join(ROOT, 'scripts'));
    expect(offenders).toEqual([]);
  });
});
