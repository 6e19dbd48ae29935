// npm run package: a production build packed into out/gradient-lens-<version>.vsix.
import { build } from './lib/bundles.mjs';
import { packageExtension } from './lib/packaging.mjs';

await build({ production: true });
console.log(await packageExtension());
