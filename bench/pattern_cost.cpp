// Which prefilter costs what: compiles each rule pattern alone into its own
// Hyperscan database and times it on the benchmark corpora, next to the
// combined database the scanner uses. A diagnostic for rule authors; the
// figures are CPU time on one thread.
//
//   build-bench/bench/sentryscan_pattern_cost
#include <hs/hs.h>

#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

#include "corpus.h"
#include "rules/rule_loader.h"

namespace {

double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

int count_match(unsigned, unsigned long long, unsigned long long, unsigned, void* context) {
  ++*static_cast<std::size_t*>(context);
  return 0;
}

// Best-of-5 CPU throughput in MB/s, and the number of prefilter hits.
std::pair<double, std::size_t> measure(const std::vector<const char*>& expressions, const std::string& text) {
  std::vector<unsigned> flags(expressions.size(), 0), ids(expressions.size());
  for (unsigned i = 0; i < ids.size(); ++i) ids[i] = i;
  hs_database_t* db = nullptr;
  hs_compile_error_t* error = nullptr;
  if (hs_compile_multi(expressions.data(), flags.data(), ids.data(), static_cast<unsigned>(expressions.size()),
                       HS_MODE_BLOCK, nullptr, &db, &error) != HS_SUCCESS) {
    fmt::print(stderr, "compile error: {}\n", error->message);
    hs_free_compile_error(error);
    return {0, 0};
  }
  hs_scratch_t* scratch = nullptr;
  hs_alloc_scratch(db, &scratch);
  double best = 1e9;
  std::size_t hits = 0;
  for (int round = 0; round < 5; ++round) {
    hits = 0;
    const double start = cpu_seconds();
    hs_scan(db, text.data(), static_cast<unsigned>(text.size()), 0, scratch, count_match, &hits);
    best = std::min(best, cpu_seconds() - start);
  }
  hs_free_scratch(scratch);
  hs_free_database(db);
  return {static_cast<double>(text.size()) / best / 1e6, hits};
}

}  // namespace

int main(int argc, char** argv) {
  using namespace sentryscan::bench;
  constexpr std::size_t kBytes = 16u << 20;
  std::vector<std::pair<std::string, std::string>> corpora{
      {"source", typical_source(kBytes)}, {"planted", with_planted_credentials(typical_source(kBytes), 256)}, {"kwdense", keyword_dense(kBytes)},
      {"hex", dense_hex(kBytes)}, {"minjs", minified_js(kBytes)}};
  // Optional: a real file to compare the synthetic corpus with.
  if (argc > 1) {
    std::FILE* file = std::fopen(argv[1], "rb");
    std::string text(kBytes, '\0');
    text.resize(file ? std::fread(text.data(), 1, text.size(), file) : 0);
    if (file) std::fclose(file);
    corpora.emplace_back("file", std::move(text));
  }
  const auto rules = sentryscan::default_rules();
  std::vector<std::pair<std::string, const char*>> patterns;
  for (const auto& rule : rules)
    for (std::size_t i = 0; i < rule.patterns.size(); ++i)
      patterns.emplace_back(fmt::format("{}#{}", rule.id, i), rule.patterns[i].prefilter.c_str());

  fmt::print("{:<32}", "pattern");
  for (const auto& [name, text] : corpora) fmt::print(" {:>10} {:>7}", name + " MB/s", "hits");
  fmt::print("\n");
  std::vector<const char*> all;
  for (const auto& [name, expression] : patterns) {
    all.push_back(expression);
    fmt::print("{:<32}", name);
    for (const auto& [corpus, text] : corpora) {
      const auto [speed, hits] = measure({expression}, text);
      fmt::print(" {:>10.0f} {:>7}", speed, hits);
    }
    fmt::print("\n");
  }
  fmt::print("{:<32}", "ALL (the scanner's database)");
  for (const auto& [corpus, text] : corpora) {
    const auto [speed, hits] = measure(all, text);
    fmt::print(" {:>10.0f} {:>7}", speed, hits);
  }
  fmt::print("\n");
}
