// Matcher throughput (SPEC 7 rows 1-2): Matcher::find alone, one thread, on
// the input shapes that decide a regex engine's speed. bytes_per_second is
// bytes per CPU second of that one thread, i.e. per core, so other processes
// on a shared machine slow the wall clock but not the figure much; the engine
// benchmarks add what Scanner::scan does around the matcher (binary
// sniffing, line numbers).
//
//   build-bench/bench/sentryscan_matcher_bench [--benchmark_filter=hex]
#include <benchmark/benchmark.h>

#include <fmt/format.h>

#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "corpus.h"
#include "scan/scanner.h"
#include "match/matcher.h"
#include "rules/rule_loader.h"

namespace {

using sentryscan::Matcher;
using sentryscan::MatchContext;

constexpr std::size_t kCorpusBytes = 16u << 20;
constexpr std::size_t kPlanted = 256;

struct Case {
  std::string name;
  std::string path;  // what MatchContext reports: not a lockfile name, so no rule is switched off
  std::function<std::string()> make;
  std::size_t expected_matches = 0;
};

// Scans `text` in pieces of `piece` bytes (0: all at once) like a scanner
// that sees files of that size.
void run_matcher(benchmark::State& state, const Matcher& matcher, const std::string& text, const std::string& path,
                 std::size_t piece, std::size_t expected) {
  Matcher::Scratch scratch = matcher.make_scratch();
  const MatchContext context{path};
  const std::size_t step = piece ? piece : text.size();
  std::size_t found = 0;
  for (auto _ : state) {
    found = 0;
    for (std::size_t offset = 0; offset < text.size(); offset += step) {
      const auto matches = matcher.find(std::string_view(text).substr(offset, step), context, scratch);
      found += matches.size();
      benchmark::DoNotOptimize(matches.data());
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
  state.counters["matches"] = static_cast<double>(found);
  // Pieces may cut a planted credential in two, so only whole-buffer runs are checked.
  if (piece == 0 && found != expected)
    state.SkipWithError(fmt::format("expected {} matches, found {}", expected, found).c_str());
}

void run_engine(benchmark::State& state, const Matcher& matcher, const std::string& text, const std::string& path,
                std::size_t piece) {
  const sentryscan::Scanner context(matcher, sentryscan::ScanLimits{1, 1ull << 40});
  sentryscan::Chunk chunk;
  chunk.provenance.path = path;
  const std::size_t step = piece ? piece : text.size();
  for (auto _ : state) {
    for (std::size_t offset = 0; offset < text.size(); offset += step) {
      chunk.data = std::string_view(text).substr(offset, step);
      auto findings = context.scan(0, chunk).findings;
      benchmark::DoNotOptimize(findings.data());
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  // The database is compiled once, as the scanner does; a benchmark never pays for it.
  static const Matcher matcher(sentryscan::default_rules());
  using namespace sentryscan::bench;
  static const std::vector<Case> cases{
      {"typical_source", "src/app/handler.py", [] { return typical_source(kCorpusBytes); }},
      {"typical_source_planted", "src/app/settings.py",
       [] { return with_planted_credentials(typical_source(kCorpusBytes), kPlanted); }, kPlanted},
      {"keyword_dense", "src/app/client.js", [] { return keyword_dense(kCorpusBytes); }},
      {"dense_hex", "vendor/checksums.txt", [] { return dense_hex(kCorpusBytes); }},
      {"minified_js_line", "public/app.min.js", [] { return minified_js(kCorpusBytes); }},
      {"binary", "assets/blob.bin", [] { return binary_data(kCorpusBytes); }},
  };
  static std::vector<std::string> texts;
  texts.reserve(cases.size());
  for (const Case& c : cases) texts.push_back(c.make());

  for (std::size_t i = 0; i < cases.size(); ++i) {
    const Case& c = cases[i];
    const std::string& text = texts[i];
    // Whole buffer (one 16 MiB file; the minified case is then one 16 MiB line)
    // and 16 KiB pieces (a source tree of typical files).
    for (std::size_t piece : {std::size_t{0}, std::size_t{16} << 10}) {
      const std::string label = piece ? "16KiB_files" : "16MiB_buffer";
      benchmark::RegisterBenchmark(fmt::format("matcher/{}/{}", c.name, label).c_str(),
                                   [&c, &text, piece](benchmark::State& state) {
                                     run_matcher(state, matcher, text, c.path, piece, c.expected_matches);
                                   })
          ->Unit(benchmark::kMillisecond);
    }
  }
  benchmark::RegisterBenchmark("engine/typical_source/16KiB_files", [](benchmark::State& state) {
    run_engine(state, matcher, texts[0], cases[0].path, 16u << 10);
  })->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("engine/binary/16KiB_files", [](benchmark::State& state) {
    run_engine(state, matcher, texts[5], cases[5].path, 16u << 10);
  })->Unit(benchmark::kMillisecond);

  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
