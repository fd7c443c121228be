/**
 * Loaded by mocha before every spec (see .mocharc.json). No test may reach a host that is
 * not on this machine: nock refuses every connection except loopback (the emulator and the
 * plugin under test listen there).
 */
import nock from "nock";

nock.disableNetConnect();
nock.enableNetConnect((host: string) => /^(127\.\d+\.\d+\.\d+|localhost|\[::1\]|::1)(:\d+)?$/.test(host));
