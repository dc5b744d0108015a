#!/bin/sh
export SENTRY_API_KEY=deadbeefcafebabe0000c0ffee00fa11
curl -u "$SENTRY_API_KEY:" https://sentry.io/api/0/
