// The store the harness uses in this jest project (see jest.config.cjs).
process.env.RELIEF_DEPOT_TEST_STORE = 'postgres';
