// The validation driver: one request per distinct secret, at most
// `concurrency` in flight, 429s retried within bounds, a global request
// budget, and the optional on-disk cache.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/finding.h"
#include "scan/scan_result.h"
#include "settings/validation.h"

namespace sentryscan::validate {

struct Credential {
  std::string rule_id;
  std::string secret;
  std::optional<TokenInfo> token;  // decoded payload of an org token
};

struct CheckStats {
  std::size_t distinct = 0;
  std::size_t requests = 0;  // HTTP requests sent, retries included
  std::size_t cache_hits = 0;
};

// One Validation per credential, in order. Credentials sharing a secret share
// one check. Problems that concern the run (cache file, exhausted budget) are
// added to `issues` as warnings; nothing here ever carries secret text.
std::vector<Validation> check_credentials(const std::vector<Credential>& credentials,
                                          const ValidationSettings& settings, std::vector<ScanIssue>& issues,
                                          CheckStats* stats = nullptr);

}  // namespace sentryscan::validate
