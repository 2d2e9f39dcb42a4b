'use strict';
// Test helpers for plugin authors: createTestApp and friends, from @plinth/testing.
module.exports = require('@plinth/testing');
