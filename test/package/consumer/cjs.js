// A CommonJS user: require('keras-ts').
const k = require('keras-ts');
require('./run.cjs')(k, 'cjs').catch((e) => {
  console.error(e);
  process.exit(1);
});
