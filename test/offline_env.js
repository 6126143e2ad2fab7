// Every test runs with downloads from other machines turned off (src/utils/files/download.ts): a
// test that reaches for the network fails at once with the URL, instead of waiting on a firewall.
process.env.KERAS_TS_OFFLINE = '1';
