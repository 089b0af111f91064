/// <reference types="vitest/config" />
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

// The Go binary embeds dist/ (web/web.go). On a clone where the web app has
// not been built, the committed dist/.placeholder is all there is, and it is
// what lets go build embed the folder.
const placeholder = '.placeholder';

// emptyOutDir would remove the placeholder too: this empties dist/ but keeps it.
function emptyOutDirKeepingPlaceholder(): Plugin {
  let outDir = '';
  return {
    name: 'dharmaplans:empty-out-dir',
    apply: 'build',
    configResolved(config) {
      outDir = join(config.root, config.build.outDir);
    },
    buildStart() {
      if (!existsSync(outDir)) return;
      for (const entry of readdirSync(outDir)) {
        if (entry !== placeholder) rmSync(join(outDir, entry), { recursive: true, force: true });
      }
    },
  };
}

// The reader. The admin panel is a second front end, built after this one by
// vite.admin.config.ts into dist/admin/. File names under assets/ carry a
// hash of their content, so the server lets browsers keep them for good.
export default defineConfig({
  plugins: [
    react(),
    tailwindcss(),
    emptyOutDirKeepingPlaceholder(),
    // The reader is an installable app (a PWA): a manifest, and a service
    // worker that keeps the app's own files, so it opens at once and
    // offline. It never answers for the server's paths, and keeps no API
    // answer (they hold personal data).
    VitePWA({
      registerType: 'autoUpdate',
      injectRegister: 'script-defer',
      includeAssets: ['favicon.svg', 'apple-touch-icon.png'],
      manifest: {
        id: '/',
        name: 'Dharma Plans',
        short_name: 'Dharma Plans',
        description: 'Buddhist reading plans: read and practise one day at a time.',
        lang: 'en',
        start_url: '/today',
        scope: '/',
        display: 'standalone',
        background_color: '#f7f3ec',
        theme_color: '#f7f3ec',
        icons: [
          { src: '/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png}'],
        // The admin panel (dist/admin/, built after the reader) is not the reader's to keep.
        globIgnores: ['admin/**'],
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/(v1|docs|admin|metrics|setup|account|healthz|readyz)(\/|$)/],
        cleanupOutdatedCaches: true,
      },
    }),
  ],
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    // dist/.vite/manifest.json says what each entry loads: the bundle size
    // check reads it. The server never serves dot folders.
    manifest: true,
    rolldownOptions: {
      input: {
        reader: fileURLToPath(new URL('./index.html', import.meta.url)),
      },
    },
  },
  server: {
    // npm run dev: the API of a server started with make run.
    proxy: {
      '/v1': 'http://localhost:8080',
    },
  },
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.mjs'],
  },
});
