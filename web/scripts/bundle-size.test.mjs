import { describe, expect, it } from 'vitest';
import { initialChunks } from './bundle-size.mjs';

describe('initialChunks', () => {
  const manifest = {
    'index.html': {
      file: 'assets/reader-1.js',
      isEntry: true,
      imports: ['_vendor.js'],
      dynamicImports: ['src/today.tsx'],
      css: ['assets/reader-1.css'],
    },
    '_vendor.js': { file: 'assets/vendor-2.js', imports: ['_shared.js'] },
    '_shared.js': { file: 'assets/shared-3.js', imports: ['_vendor.js'] },
    'src/today.tsx': { file: 'assets/today-4.js', isDynamicEntry: true, imports: ['_shared.js'] },
    'admin/index.html': { file: 'assets/admin-5.js', isEntry: true, imports: ['_vendor.js'] },
  };

  it('counts the entry and everything it imports at once, however deep', () => {
    expect(initialChunks(manifest, 'index.html').sort()).toEqual([
      'assets/reader-1.js',
      'assets/shared-3.js',
      'assets/vendor-2.js',
    ]);
  });

  it('leaves out pages loaded later and other entries', () => {
    const files = initialChunks(manifest, 'index.html');
    expect(files).not.toContain('assets/today-4.js');
    expect(files).not.toContain('assets/admin-5.js');
  });

  it('fails on an entry the build does not have', () => {
    expect(() => initialChunks(manifest, 'missing.html')).toThrow(/no entry missing.html/);
  });
});
