import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

// schema.d.ts must be what openapi-typescript makes of openapi.json (which a
// Go test keeps equal to the server's API): otherwise the app compiles
// against an API that is not the one served.
it('schema.d.ts is generated from openapi.json', { timeout: 30_000 }, () => {
  const cli = fileURLToPath(new URL('../../node_modules/openapi-typescript/bin/cli.js', import.meta.url));
  const document = fileURLToPath(new URL('./openapi.json', import.meta.url));
  const generated = execFileSync(process.execPath, [cli, document], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const checkedIn = readFileSync(new URL('./schema.d.ts', import.meta.url), 'utf8');
  expect(checkedIn === generated, 'src/api/schema.d.ts is stale: run make api-client').toBe(true);
});
