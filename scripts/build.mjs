// npm run build [-- --production]: builds dist/.
import { build } from './lib/bundles.mjs';

const production = process.argv.includes('--production');
await build({ production });
console.log(`built dist/ (${production ? 'production' : 'development'})`);
