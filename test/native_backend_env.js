// The native project of jest.config.js: its tests choose the backend with testBackend() (helpers.ts).
process.env.KERAS_TEST_BACKEND = 'native';
