RAVEN_CONFIG = {
    "dsn": "https://deadbeefcafebabe0000c0ffee00fa11:c0ffee00decade00bad00feed00added@sentry.internal.example.net:9000/sentry/42",
}
