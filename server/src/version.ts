/**
 * The product version: package.json's, written in by the bundler (scripts/build.ts `define`),
 * so that it is kept in one place. Code run from source (tests under tsx) reads package.json.
 */
declare const __PACKAGE_VERSION__: string | undefined;

export const VERSION: string =
  typeof __PACKAGE_VERSION__ === 'string' ? __PACKAGE_VERSION__ : (require('../../package.json') as { version: string }).version;
