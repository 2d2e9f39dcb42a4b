// Snapshots live next to the TypeScript sources (reviewed in diffs), not in dist/.
const path = require('node:path');

module.exports = {
  resolveSnapshotPath: (testPath, ext) =>
    path.join(
      path.dirname(testPath).replace(/([\\/])dist([\\/]|$)/, '$1src$2'),
      '__snapshots__',
      path.basename(testPath) + ext,
    ),
  resolveTestPath: (snapshotPath, ext) =>
    path.join(
      path.dirname(path.dirname(snapshotPath)).replace(/([\\/])src([\\/]|$)/, '$1dist$2'),
      path.basename(snapshotPath, ext),
    ),
  testPathForConsistencyCheck: path.join('test', 'dist', 'example.e2e-spec.js'),
};
