#include "app/manifest.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/input_error.h"
#include "core/secret_hash.h"
#include "core/user_file.h"
#include "report/finding_json.h"

namespace sentryscan {
namespace {

using json = nlohmann::ordered_json;

std::string file_digest(const std::filesystem::path& path) {
  const UserFile file = read_user_file(path);
  return file.ok() ? sha256_hex(file.text) : "unreadable";
}

std::uint64_t count_of(const nlohmann::json& object, const char* key) {
  if (!object.contains(key) || !object.at(key).is_number_unsigned())
    throw std::runtime_error(fmt::format("\"{}\" is missing or not a count", key));
  return object.at(key).get<std::uint64_t>();
}

}  // namespace

std::string manifest_path(const std::string& report_path) { return report_path + ".manifest.json"; }

std::string settings_digest(const Settings& settings, bool all_objects, bool recurse_submodules) {
  std::string text = fmt::format("sentryscan {}\n", SENTRYSCAN_VERSION);
  for (const auto& rules : settings.rules_files) text += "rules " + file_digest(rules) + "\n";
  const ScanLimits& limits = settings.limits;
  text += fmt::format("limits {} {} {} {} {}\n", limits.max_file_size, limits.max_decode_depth, limits.max_archive_depth,
                      limits.max_archive_size, limits.max_archive_entries);
  for (const auto& pattern : settings.exclude_patterns) text += "exclude " + pattern.value + "\n";
  std::vector<std::string> ignored(settings.ignore.fingerprints.begin(), settings.ignore.fingerprints.end());
  std::sort(ignored.begin(), ignored.end());
  for (const auto& fingerprint : ignored) text += "ignore " + fingerprint + "\n";
  if (settings.baseline_text) text += "baseline " + sha256_hex(settings.baseline_text->text) + "\n";
  else if (!settings.baseline.empty()) text += "baseline " + file_digest(settings.baseline) + "\n";
  text += fmt::format("validate {} only-live {} show-secrets {} all-objects {} recurse-submodules {}\n",
                      settings.validate, settings.only_live, settings.show_secrets, all_objects, recurse_submodules);
  return sha256_hex(text);
}

std::string manifest_to_json(const Manifest& m) {
  json out;
  out["manifest_version"] = kManifestVersion;
  out["tool"] = {{"name", "sentryscan"}, {"version", m.tool_version}};
  out["report"] = {{"file", m.report}, {"sha256", m.report_sha256}, {"format", m.format}};
  out["shard"] = {{"index", m.shard.index}, {"count", m.shard.count}};
  out["list"] = {{"entries", m.list_entries}, {"sha256", m.list_sha256}};
  out["settings_sha256"] = m.settings_sha256;
  json repositories = json::array();
  for (const auto& r : m.repositories) repositories.push_back({{"name", r.name}, {"complete", r.complete}});
  out["repositories"] = std::move(repositories);
  out["complete"] = m.complete;
  out["exit_status"] = m.exit_status;
  out["summary"] = {{"items_scanned", m.stats.items_scanned},
                    {"bytes_scanned", m.stats.bytes_scanned},
                    {"items_skipped", m.stats.items_skipped},
                    {"item_noun", m.stats.item_noun},
                    {"seconds", m.stats.seconds},
                    {"finished_at", m.finished_at},
                    {"suppressed",
                     {{"inline_allow", m.suppressed.inline_allow},
                      {"ignore_file", m.suppressed.ignore_file},
                      {"baseline", m.suppressed.baseline}}},
                    {"validation",
                     {{"enabled", m.validation.enabled},
                      {"only_live", m.validation.only_live},
                      {"live", m.validation.live},
                      {"revoked", m.validation.revoked},
                      {"unknown", m.validation.unknown},
                      {"skipped", m.validation.skipped}}}};
  json issues = json::array();
  for (const auto& issue : m.issues)
    issues.push_back({{"kind", issue.kind == ScanIssue::Kind::incomplete ? "incomplete" : "warning"},
                      {"where", issue.where},
                      {"message", issue.message}});
  out["issues"] = std::move(issues);
  return dump_json(out, 2) + "\n";
}

Manifest manifest_from_json(const std::string& text, const std::string& origin) {
  try {
    const nlohmann::json in = nlohmann::json::parse(text);
    if (in.at("manifest_version").get<int>() != kManifestVersion)
      throw std::runtime_error(fmt::format("manifest_version is not {}", kManifestVersion));
    Manifest m;
    m.tool_version = in.at("tool").at("version").get<std::string>();
    m.report = in.at("report").at("file").get<std::string>();
    m.report_sha256 = in.at("report").at("sha256").get<std::string>();
    m.format = in.at("report").at("format").get<std::string>();
    m.shard.index = in.at("shard").at("index").get<std::uint32_t>();
    m.shard.count = in.at("shard").at("count").get<std::uint32_t>();
    if (m.shard.count == 0 || m.shard.index >= m.shard.count) throw std::runtime_error("shard index out of range");
    m.list_entries = count_of(in.at("list"), "entries");
    m.list_sha256 = in.at("list").at("sha256").get<std::string>();
    m.settings_sha256 = in.at("settings_sha256").get<std::string>();
    for (const auto& r : in.at("repositories"))
      m.repositories.push_back({r.at("name").get<std::string>(), r.at("complete").get<bool>()});
    m.complete = in.at("complete").get<bool>();
    m.exit_status = in.at("exit_status").get<int>();
    const auto& summary = in.at("summary");
    m.stats.items_scanned = count_of(summary, "items_scanned");
    m.stats.bytes_scanned = count_of(summary, "bytes_scanned");
    m.stats.items_skipped = count_of(summary, "items_skipped");
    m.stats.item_noun = summary.at("item_noun").get<std::string>();
    m.stats.seconds = summary.at("seconds").get<double>();
    m.finished_at = summary.at("finished_at").get<std::int64_t>();
    const auto& suppressed = summary.at("suppressed");
    m.suppressed = {count_of(suppressed, "inline_allow"), count_of(suppressed, "ignore_file"),
                    count_of(suppressed, "baseline")};
    const auto& validation = summary.at("validation");
    m.validation.enabled = validation.at("enabled").get<bool>();
    m.validation.only_live = validation.at("only_live").get<bool>();
    m.validation.live = count_of(validation, "live");
    m.validation.revoked = count_of(validation, "revoked");
    m.validation.unknown = count_of(validation, "unknown");
    m.validation.skipped = count_of(validation, "skipped");
    for (const auto& issue : in.at("issues")) {
      const std::string kind = issue.at("kind").get<std::string>();
      if (kind != "incomplete" && kind != "warning") throw std::runtime_error("unknown issue kind");
      m.issues.push_back({kind == "incomplete" ? ScanIssue::Kind::incomplete : ScanIssue::Kind::warning,
                          issue.at("where").get<std::string>(), issue.at("message").get<std::string>()});
    }
    return m;
  } catch (const std::exception& e) {
    throw InputError(origin, 0, fmt::format("not a sentryscan manifest: {}", e.what()));
  }
}

std::optional<std::string> write_file_atomically(const std::string& path, const std::string& bytes) {
  const std::string temporary = path + ".tmp." + std::to_string(getpid());
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return std::strerror(errno);
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string why = std::strerror(n < 0 ? errno : EIO);
      ::close(fd);
      ::unlink(temporary.c_str());
      return why;
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    const std::string why = std::strerror(errno);
    ::unlink(temporary.c_str());
    return why;
  }
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    ::unlink(temporary.c_str());
    return why;
  }
  return std::nullopt;
}

}  // namespace sentryscan
