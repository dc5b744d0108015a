// Reading a finding back from a json/jsonl report (`sentryscan merge`).
#include <stdexcept>

#include <fmt/format.h>

#include "report/finding_json.h"

namespace sentryscan {
namespace {

using json = nlohmann::json;

const json& member(const json& object, const char* key) {
  if (!object.is_object() || !object.contains(key)) throw std::runtime_error(fmt::format("missing \"{}\"", key));
  return object.at(key);
}

std::string text(const json& object, const char* key) {
  const json& value = member(object, key);
  if (!value.is_string()) throw std::runtime_error(fmt::format("\"{}\" is not a string", key));
  return value.get<std::string>();
}

// Optional text: absent or null is empty.
std::string text_or_empty(const json& object, const char* key) {
  if (!object.contains(key) || object.at(key).is_null()) return {};
  return text(object, key);
}

std::uint64_t number(const json& object, const char* key) {
  const json& value = member(object, key);
  if (!value.is_number_unsigned()) throw std::runtime_error(fmt::format("\"{}\" is not a count", key));
  return value.get<std::uint64_t>();
}

SourceKind source_kind(const std::string& name) {
  for (SourceKind kind : {SourceKind::file, SourceKind::git, SourceKind::staged, SourceKind::stdin_input})
    if (to_string(kind) == name) return kind;
  throw std::runtime_error("unknown source kind");
}

ValidationStatus validation_status(const std::string& name) {
  for (ValidationStatus status : {ValidationStatus::not_checked, ValidationStatus::live, ValidationStatus::revoked,
                                  ValidationStatus::unknown, ValidationStatus::skipped})
    if (to_string(status) == name) return status;
  throw std::runtime_error("unknown validation status");
}

}  // namespace

Finding finding_from_reported_json(const json& object) {
  Finding f;
  f.rule_id = text(object, "rule_id");
  const auto severity = parse_severity(text(object, "severity"));
  if (!severity) throw std::runtime_error("unknown severity");
  f.severity = *severity;
  f.description = text(object, "description");
  f.secret = text(object, "secret");
  f.secret_as_reported = true;
  f.reported_secret_sha256 = text(object, "secret_sha256");
  f.fingerprint = text(object, "fingerprint");
  const json& location = member(object, "location");
  f.source.path = text(location, "path");
  f.location.line = number(location, "line");
  f.location.column = number(location, "column");
  f.location.end_line = number(location, "end_line");
  f.location.end_column = number(location, "end_column");
  f.source.repository = text_or_empty(object, "repository");
  const json& source = member(object, "source");
  f.source.kind = source_kind(text(source, "kind"));
  f.source.commit = text_or_empty(source, "commit");
  f.source.author = text_or_empty(source, "author");
  f.source.email = text_or_empty(source, "email");
  f.source.date = text_or_empty(source, "date");
  f.source.message = text_or_empty(source, "message");
  f.source.blob = text_or_empty(source, "blob");
  if (source.contains("other_locations")) f.source.other_locations = number(source, "other_locations");
  if (object.contains("binary")) f.binary = member(object, "binary").get<bool>();
  if (object.contains("decoded")) f.decoded = member(object, "decoded").get<std::vector<std::string>>();
  if (object.contains("token")) {
    const json& token = member(object, "token");
    TokenInfo info;
    info.org = text_or_empty(token, "org");
    if (token.contains("url") && !token.at("url").is_null()) info.url = text(token, "url");
    info.region_url = text_or_empty(token, "region_url");
    info.issued_at = text_or_empty(token, "issued_at");
    f.token = std::move(info);
  }
  if (object.contains("dsn")) {
    const json& dsn = member(object, "dsn");
    DsnInfo info;
    info.host = text_or_empty(dsn, "host");
    info.project_id = text_or_empty(dsn, "project_id");
    info.org_id = text_or_empty(dsn, "org_id");
    info.region = text_or_empty(dsn, "region");
    info.saas = member(dsn, "saas").get<bool>();
    f.dsn = std::move(info);
  }
  const json& validation = member(object, "validation");
  f.validation.status = validation_status(text(validation, "status"));
  if (validation.contains("http_status")) f.validation.http_status = member(validation, "http_status").get<int>();
  f.validation.detail = text_or_empty(validation, "detail");
  return f;
}

}  // namespace sentryscan
