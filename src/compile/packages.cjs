'use strict';
/**
 * npm packages that the commands load from one cached bundle of their own (build.cjs makes it, register.cjs
 * loads it): Vega and Vega-Lite are some 150 ES modules, which Node loads one by one in about 0.3 s; the
 * bundle loads in about 0.1 s. Only the library's `import()`s of them are answered from it; under vitest,
 * which does not use the bundles, they load as the packages' own modules.
 */
module.exports = { PACKAGES: ['vega', 'vega-lite'] };
