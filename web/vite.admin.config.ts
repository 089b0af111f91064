/// <reference types="vitest/config" />
import { fileURLToPath } from 'node:url';
import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The admin panel: a second front end with a bundle of its own, built after
// the reader (npm run build) into dist/admin/ and served by the server at
// /admin/ (web/web.go). It shares the reader's API client, session, words
// and components through src/, but none of its code reaches the reader's
// bundle, and the reader's service worker neither keeps nor answers for it.
export default defineConfig({
  plugins: [react(), tailwindcss()],
  // The reader's icons are already in dist/ (public/ is copied by its build).
  publicDir: false,
  build: {
    outDir: 'dist',
    // The reader's build is in dist/ already: keep it.
    emptyOutDir: false,
    assetsDir: 'admin/assets',
    // Beside the reader's dist/.vite/manifest.json, which the server never serves either.
    manifest: 'admin/.vite/manifest.json',
    rolldownOptions: {
      input: {
        admin: fileURLToPath(new URL('./admin/index.html', import.meta.url)),
      },
    },
  },
});
