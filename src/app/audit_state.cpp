#include "app/audit_state.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>

#include "core/input_error.h"
#include "core/secret_hash.h"
#include "core/user_file.h"
#include "rules/rule_loader.h"

#ifndef SENTRYSCAN_VERSION
#define SENTRYSCAN_VERSION "0.0.0"
#endif

namespace sentryscan {
namespace {

using nlohmann::json;

bool is_hex(std::string_view text, std::size_t size) {
  return text.size() == size && text.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

// Each field length-prefixed, so that no two different inputs give the same text.
void add_field(std::string& out, std::string_view name, std::string_view value) {
  out += fmt::format("{}:{}:", name, value.size());
  out += value;
  out += '\n';
}

const json& member(const json& object, const char* key, json::value_t type, const std::string& origin) {
  const auto it = object.find(key);
  if (it == object.end() || it->type() != type)
    throw InputError(origin, 0, fmt::format("damaged state file: '{}' is missing or has the wrong type", key));
  return *it;
}

RepositoryState parse_repository(const json& value, const std::string& origin) {
  if (!value.is_object()) throw InputError(origin, 0, "damaged state file: a repository record is not an object");
  RepositoryState state;
  state.audited_at = member(value, "audited_at", json::value_t::string, origin).get<std::string>();
  state.settings_digest = member(value, "settings_digest", json::value_t::string, origin).get<std::string>();
  if (!is_hex(state.settings_digest, 64)) throw InputError(origin, 0, "damaged state file: a settings digest is not 64 hex digits");
  for (const json& tip : member(value, "tips", json::value_t::array, origin)) {
    if (!tip.is_object()) throw InputError(origin, 0, "damaged state file: a tip is not an object");
    StateTip t{member(tip, "ref", json::value_t::string, origin).get<std::string>(),
               member(tip, "oid", json::value_t::string, origin).get<std::string>()};
    if (!is_hex(t.oid, 40)) throw InputError(origin, 0, "damaged state file: a tip's oid is not 40 hex digits");
    state.tips.push_back(std::move(t));
  }
  for (const json& seen : member(value, "seen", json::value_t::array, origin)) {
    if (!seen.is_object()) throw InputError(origin, 0, "damaged state file: a seen finding is not an object");
    state.seen.emplace(member(seen, "rule", json::value_t::string, origin).get<std::string>(),
                       member(seen, "fingerprint", json::value_t::string, origin).get<std::string>());
  }
  return state;
}

}  // namespace

AuditState parse_state(std::string_view text, const std::string& origin) {
  const json root = json::parse(strip_bom(text), nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded() || !root.is_object())
    throw InputError(origin, 0, "damaged state file: not a JSON object (remove it to audit everything again)");
  const auto version = root.find("sentryscan_state");
  if (version == root.end() || !version->is_number_integer())
    throw InputError(origin, 0, "not a sentryscan state file (no 'sentryscan_state' version)");
  if (version->get<std::int64_t>() != kStateVersion)
    throw InputError(origin, 0,
                     fmt::format("state file version {} is not the version {} this sentryscan writes (remove it to "
                                 "audit everything again)",
                                 version->dump(), kStateVersion));
  AuditState state;
  for (const auto& [identity, record] : member(root, "repositories", json::value_t::object, origin).items())
    state.repositories.emplace(identity, parse_repository(record, origin));
  return state;
}

AuditState read_state(const std::filesystem::path& path) {
  const UserFile file = read_user_file(path);
  if (file.missing()) return {};
  if (!file.ok()) throw InputError(path.string(), 0, "cannot read state file: " + file.error_text());
  return parse_state(file.text, path.string());
}

std::string serialize_state(const AuditState& state) {
  json repositories = json::object();
  for (const auto& [identity, record] : state.repositories) {
    json tips = json::array();
    for (const auto& tip : record.tips) tips.push_back({{"ref", tip.ref}, {"oid", tip.oid}});
    json seen = json::array();
    for (const auto& [rule, fingerprint] : record.seen) seen.push_back({{"rule", rule}, {"fingerprint", fingerprint}});
    repositories[identity] = {{"audited_at", record.audited_at},
                              {"settings_digest", record.settings_digest},
                              {"tips", std::move(tips)},
                              {"seen", std::move(seen)}};
  }
  json root = {{"sentryscan_state", kStateVersion}, {"repositories", std::move(repositories)}};
  // Invalid UTF-8 in a ref or path name is replaced, never a reason to fail.
  return root.dump(1, ' ', false, json::error_handler_t::replace) + "\n";
}

std::optional<std::string> write_state(const std::filesystem::path& path, const AuditState& state) {
  const std::string bytes = serialize_state(state);
  const std::filesystem::path directory = path.parent_path().empty() ? "." : path.parent_path();
  std::string temp = (directory / ("." + path.filename().string() + ".XXXXXX")).string();
  const int fd = mkstemp(temp.data());
  if (fd < 0) return fmt::format("cannot create a temporary file in {}: {}", directory.string(), std::strerror(errno));
  auto fail = [&](const char* what) {
    const std::string reason = fmt::format("{}: {}", what, std::strerror(errno));
    ::close(fd);
    ::unlink(temp.c_str());
    return reason;
  };
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n == 0) errno = EIO;
      return fail("cannot write the state");
    }
    done += static_cast<std::size_t>(n);
  }
  // mkstemp makes it 0600; a state file gets the mode any file written here
  // would (0666 less the umask), like a report. Single-threaded here.
  const mode_t mask = ::umask(0);
  ::umask(mask);
  if (::fchmod(fd, 0666 & ~mask) < 0) return fail("cannot set the state file's mode");
  if (::fsync(fd) < 0) return fail("cannot flush the state");
  if (::close(fd) < 0) {
    const std::string reason = fmt::format("cannot write the state: {}", std::strerror(errno));
    ::unlink(temp.c_str());
    return reason;
  }
  if (std::rename(temp.c_str(), path.c_str()) < 0) {
    const std::string reason = fmt::format("cannot replace {}: {}", path.string(), std::strerror(errno));
    ::unlink(temp.c_str());
    return reason;
  }
  return std::nullopt;
}

std::string settings_digest(const Settings& settings, bool recurse_submodules) {
  std::string text;
  add_field(text, "sentryscan", SENTRYSCAN_VERSION);
  for (const auto& [name, toml] : embedded_rule_files()) {
    add_field(text, "builtin-rules", name);
    add_field(text, "text", toml);
  }
  for (const auto& file : settings.rules_files) {
    const UserFile rules = read_user_file(file);
    add_field(text, "rules-file", file.string());
    add_field(text, "text", rules.ok() ? rules.text : fmt::format("unreadable {}", rules.error));
  }
  const ScanLimits& limits = settings.limits;
  add_field(text, "limits",
            fmt::format("{} {} {} {} {}", limits.max_file_size, limits.max_decode_depth, limits.max_archive_depth,
                        limits.max_archive_size, limits.max_archive_entries));
  for (const auto& pattern : settings.exclude_patterns) add_field(text, "exclude", pattern.value);
  // Sorted: the set's order is not the file's and may vary.
  const std::set<std::string> ignored(settings.ignore.fingerprints.begin(), settings.ignore.fingerprints.end());
  for (const auto& fingerprint : ignored) add_field(text, "ignore", fingerprint);
  for (const auto& glob : settings.ignore.path_globs) add_field(text, "ignore-path", glob);
  add_field(text, "recurse-submodules", recurse_submodules ? "yes" : "no");
  return sha256_hex(text);
}

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

}  // namespace sentryscan
