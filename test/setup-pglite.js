process.env.PLINTH_TEST_DB = 'pglite';
