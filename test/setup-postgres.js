process.env.PLINTH_TEST_DB = 'postgresql';
