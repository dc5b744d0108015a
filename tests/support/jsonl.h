// Reading JSON Lines reports in tests, and comparing findings as multisets
// (report order is not what a merge or a shard run is judged on).
//
//   EXPECT_EQ(findings_multiset(parse_jsonl(read_file(a))), findings_multiset(parse_jsonl(read_file(b))));
#pragma once

#include <nlohmann/json.hpp>

#include <set>
#include <string>
#include <vector>

namespace sentryscan::testing {

inline std::vector<nlohmann::json> parse_jsonl(const std::string& text) {
  std::vector<nlohmann::json> out;
  std::size_t begin = 0;
  while (begin < text.size()) {
    const auto end = text.find('\n', begin);
    out.push_back(nlohmann::json::parse(text.substr(begin, end - begin)));
    if (end == std::string::npos) break;
    begin = end + 1;
  }
  return out;
}

inline std::multiset<std::string> findings_multiset(const std::vector<nlohmann::json>& findings) {
  std::multiset<std::string> out;
  for (const auto& f : findings) out.insert(f.dump());
  return out;
}

}  // namespace sentryscan::testing
