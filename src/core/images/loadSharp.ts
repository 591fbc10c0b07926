export type Sharp = typeof import('sharp');

let loaded: Sharp | undefined;

/**
 * sharp (libvips, a native prebuilt binary of about 18 MB) loaded on first use rather than at import, so
 * everything that does not read an image folder runs where it is absent, as in the VS Code package, which
 * does not ship it. Throws an error that says what to do when it cannot load.
 */
export function loadSharp(): Sharp {
  if (loaded) return loaded;
  try {
    loaded = require('sharp') as Sharp;
    // libvips's operation cache is keyed by file name: a WebP rewritten in place with the same length was
    // read with its old header (found by test/hostileImageFiles.test.ts). Each file is read once per load
    // anyway, so the cache saves nothing worth a stale image.
    loaded.cache(false);
    return loaded;
  } catch (err) {
    throw new Error(
      `image folders are read with the npm package sharp, which did not load (${(err as Error).message.split('\n')[0]}); ` +
        'in a checkout run npm install; the VS Code extension package does not include it yet, so run image-folder ' +
        'experiments with the denoise command line',
    );
  }
}
