// STUB until the real matcher lands.
#include "match/matcher.h"

namespace sentryscan {

struct Matcher::Scratch::Impl {};
struct Matcher::Impl {
  std::vector<Rule> rules;
};

Matcher::Scratch::Scratch(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Matcher::Scratch::Scratch(Scratch&&) noexcept = default;
Matcher::Scratch& Matcher::Scratch::operator=(Scratch&&) noexcept = default;
Matcher::Scratch::~Scratch() = default;

Matcher::Matcher(std::vector<Rule> rules) : impl_(std::make_unique<Impl>()) { impl_->rules = std::move(rules); }
Matcher::Matcher(Matcher&&) noexcept = default;
Matcher::~Matcher() = default;
Matcher::Scratch Matcher::make_scratch() const { return Scratch(std::make_unique<Scratch::Impl>()); }
std::vector<Match> Matcher::find(std::string_view, const MatchContext&, Scratch&) const { return {}; }
const std::vector<Rule>& Matcher::rules() const { return impl_->rules; }

}  // namespace sentryscan
