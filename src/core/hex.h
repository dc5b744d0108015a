// The value of one hexadecimal digit, or -1 (either case): for percent-encoding
// and escapes (decode/decoders.cpp), DSN unescaping (match/checks.cpp),
// credentials in URLs (source/remote/remote_url.cpp), and wherever a digit is
// only checked (prefilter hex runs, object ids, fingerprints).
#pragma once

namespace sentryscan {

constexpr int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace sentryscan
