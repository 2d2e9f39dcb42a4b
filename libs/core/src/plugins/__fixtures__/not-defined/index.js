module.exports = { name: 'plain_object', version: '1.0.0' };
