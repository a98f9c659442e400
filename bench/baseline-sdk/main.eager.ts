// The eager wiring: the client module imported by the entry, so the SDK is in the initial bundle
// and its client is made (and starts reading storage) before Angular bootstraps. Then the
// starter's own bootstrap, unchanged.
import './logto';
import '../baseline-starter/src/main';
