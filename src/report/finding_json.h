// One finding as a JSON object (SPEC 2, Output). Shared by the json/jsonl
// reporters, SARIF properties and the baseline writer, so that every consumer
// sees the same field names and the same redaction.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "core/finding.h"

namespace sentryscan {

// Keys in the SPEC's order (rule_id, severity, ..., validation).
nlohmann::ordered_json finding_to_ordered_json(const Finding& finding, bool show_secrets);

struct SecretGroup;
// One secret with its locations (--group-by secret; docs/json-report.md).
nlohmann::ordered_json group_to_ordered_json(const SecretGroup& group, bool show_secrets);

// Same content; keys sorted (nlohmann's default object type).
nlohmann::json finding_to_json(const Finding& finding, bool show_secrets);

// The inverse, for `sentryscan merge`: a finding as a json/jsonl report wrote
// it. Its secret is the text the report showed (secret_as_reported) and its
// secret_sha256 is kept. Throws std::runtime_error naming the first field that
// is missing or of the wrong type.
Finding finding_from_reported_json(const nlohmann::json& object);

// Serialises without ever throwing: paths and commit metadata may hold
// invalid UTF-8, which becomes U+FFFD; control characters are escaped as JSON
// requires. Use this for every dump of report data.
template <class Json>
std::string dump_json(const Json& value, int indent = -1) {
  return value.dump(indent, ' ', false, Json::error_handler_t::replace);
}

}  // namespace sentryscan
