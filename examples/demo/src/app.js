import * as Sentry from "@sentry/browser";

Sentry.init({
  dsn: "https://deadbeefcafebabe0000c0ffee00fa11@o4500000000000000.ingest.us.sentry.io/4500000000000001",
  tracesSampleRate: 0.1,
});

// A documented test fixture, allowed inline:
const FIXTURE_DSN = "https://c0ffee00decade00bad00feed00added@o1.ingest.sentry.io/2"; // sentryscan:allow
