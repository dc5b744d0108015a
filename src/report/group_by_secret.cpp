#include "report/group_by_secret.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace sentryscan {
namespace {

// Folds one location into its group.
struct Accumulator {
  SecretGroup group;
  std::set<std::string> blobs, paths, commits, tips;
  const BlobHistory* earliest = nullptr;

  void add(const Finding& finding) {
    group.locations.push_back(&finding);
    const Provenance& source = finding.source;
    if (!source.blob.empty()) blobs.insert(source.blob);
    const BlobHistory* history = source.history.get();
    if (!history) {
      paths.insert(source.path);
      if (!source.commit.empty()) commits.insert(source.commit);
      return;
    }
    group.history_known = true;
    for (const auto& introduction : history->introductions) {
      paths.insert(introduction.path);
      if (!introduction.commit.empty()) commits.insert(introduction.commit);
    }
    if (history->introductions.empty()) paths.insert(source.path);  // unreachable blobs
    for (const auto& tip : history->ref_tips)
      if (tips.insert(tip).second) group.ref_tips.push_back(tip);
    group.in_head = group.in_head || history->in_head;
    group.tips_checked = std::max(group.tips_checked, history->tips_checked);
    group.tips_total = std::max(group.tips_total, history->tips_total);
    if (!history->introductions.empty() && (!earliest || history->first_rank < earliest->first_rank)) {
      earliest = history;
      group.first = &finding;
    }
  }

  SecretGroup finish() {
    if (!group.first) group.first = group.locations.front();
    if (earliest) {
      group.first_entry = earliest->introductions.front();
    } else if (!group.first->source.commit.empty()) {
      const Provenance& source = group.first->source;
      group.first_entry = {source.commit, source.author, source.email, source.date, source.message, source.path};
    }
    group.blob_versions = blobs.size();
    group.paths = paths.size();
    group.commits = commits.size();
    // HEAD first, then branches, tags, remotes, others (as blob_history.h
    // looked at them), each in name order.
    std::stable_sort(group.ref_tips.begin(), group.ref_tips.end(), [](const std::string& a, const std::string& b) {
      auto rank = [](const std::string& name) {
        const std::string_view ref = std::string_view(name).substr(name.find(':') == std::string::npos ? 0 : name.find(':') + 1);
        if (ref == "HEAD") return 0;
        if (ref.starts_with("refs/heads/")) return 1;
        if (ref.starts_with("refs/tags/")) return 2;
        if (ref.starts_with("refs/remotes/")) return 3;
        return 4;
      };
      return std::make_tuple(rank(a), a) < std::make_tuple(rank(b), b);
    });
    return std::move(group);
  }
};

}  // namespace

std::vector<SecretGroup> group_by_secret(const std::vector<Finding>& findings) {
  std::map<std::tuple<std::string, std::string, std::string>, std::size_t> index;
  std::vector<Accumulator> groups;
  for (const Finding& finding : findings) {
    const auto key = std::make_tuple(finding.source.repository, finding.rule_id, finding.fingerprint);
    const auto [it, inserted] = index.emplace(key, groups.size());
    if (inserted) groups.emplace_back();
    groups[it->second].add(finding);
  }
  std::vector<SecretGroup> out;
  out.reserve(groups.size());
  for (auto& group : groups) out.push_back(group.finish());
  // Stable: groups of one severity keep the order of their first location.
  std::stable_sort(out.begin(), out.end(),
                   [](const SecretGroup& a, const SecretGroup& b) { return a.first->severity > b.first->severity; });
  return out;
}

}  // namespace sentryscan
