// What an entry of the Vite build makes the browser download before the
// page can start, measured as it travels: gzipped.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * The JavaScript files an entry loads at once: its own chunk and every chunk
 * it imports statically, however deep. Chunks imported dynamically (routes
 * loaded when visited) are not part of the first load.
 *
 * @param {Record<string, {file: string, imports?: string[]}>} manifest Vite's dist/.vite/manifest.json
 * @param {string} entry the entry's key in the manifest, e.g. "index.html"
 * @returns {string[]} file names relative to dist/
 */
export function initialChunks(manifest, entry) {
  if (!manifest[entry]) throw new Error(`the build has no entry ${entry}`);
  const seen = new Set();
  const visit = (key) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const imported of manifest[key]?.imports ?? []) visit(imported);
  };
  visit(entry);
  return [...seen].map((key) => manifest[key].file).filter((file) => file.endsWith('.js'));
}

/**
 * The gzipped size in bytes of each file, at gzip's default level as
 * build reports usually give it.
 *
 * @param {string} dist the build folder
 * @param {string[]} files file names relative to dist
 * @returns {{file: string, bytes: number}[]}
 */
export function gzippedSizes(dist, files) {
  return files.map((file) => ({ file, bytes: gzipSync(readFileSync(join(dist, file))).length }));
}
