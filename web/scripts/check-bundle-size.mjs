// Prints the gzipped size of each entry's initial JavaScript and fails the
// build when one is over its budget. Run after vite build (npm run build).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzippedSizes, initialChunks } from './bundle-size.mjs';

// Budgets in KB (1,000 bytes) of gzipped JavaScript loaded before the first
// page shows: the reader's keeps the app quick to start on a phone; the
// admin panel, used at a desk, may be larger but still starts quickly.
const builds = [
  { manifest: '.vite/manifest.json', entry: 'index.html', budget: 150 },
  { manifest: 'admin/.vite/manifest.json', entry: 'admin/index.html', budget: 220 },
];

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const kb = (bytes) => `${(bytes / 1000).toFixed(1)} KB`;

let over = false;
for (const { manifest: file, entry, budget } of builds) {
  const manifest = JSON.parse(readFileSync(`${dist}${file}`, 'utf8'));
  const sizes = gzippedSizes(dist, initialChunks(manifest, entry));
  const total = sizes.reduce((sum, s) => sum + s.bytes, 0);
  console.log(`initial JavaScript of ${entry}, gzipped:`);
  for (const s of sizes) console.log(`  ${s.file.padEnd(40)} ${kb(s.bytes)}`);
  console.log(`  total ${kb(total)} of a ${budget} KB budget`);
  if (total > budget * 1000) {
    console.error(`${entry}: ${kb(total)} of initial JavaScript is over the ${budget} KB budget`);
    over = true;
  }
}
if (over) process.exit(1);
