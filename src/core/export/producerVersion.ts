// esbuild inlines only this field of package.json into the bundles.
import { version } from '../../../package.json';

/** Written into every exported file's producer_version, so a file says which Denoise Lab made it. */
export const PRODUCER_VERSION: string = version;
