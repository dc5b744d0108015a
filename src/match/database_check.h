// A compiled database read from the cache directory is trusted by its file
// name alone, and that directory is not always the user's own: a CI cache
// restored from an earlier job (which a pull request's job may have written)
// can hold a valid Hyperscan database of other patterns, one that matches
// nothing, and every later scan would pass. So a loaded database must first
// recognise the rules' own examples, each varied at random so that a database
// made to match just the published example texts does not pass either.
#pragma once

#include <hs/hs.h>

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "rules/rule.h"

namespace sentryscan {

// `example.text` with the key material of its secret varied: in every run of
// 32 or more ASCII letters and digits in the secret (hex keys, token bodies,
// base64 payloads), the last 32 characters are replaced by random ones of the
// same kind (digit, a-f, g-z, A-F, G-Z), which keeps the secret's shape. The
// text is returned as it is when the secret is not in it.
std::string vary_example(const RuleExample& example, std::mt19937_64& random);

// True when, with every example varied with `seed`: each example of every
// rule gives a match of one of that rule's own patterns; each pattern of a
// rule that has examples is matched by at least one of them; and a short text
// that holds no credential gives no match (a database matching everything is
// not a bypass, but it would make every scan crawl). `rule_of_pattern[id]` is
// the rule of Hyperscan expression id `id`; any other id fails the check.
// Patterns of rules without examples cannot be checked. `scratch` must have
// been allocated for `database`.
bool database_recognises_rules(const hs_database_t* database, hs_scratch_t* scratch, const std::vector<Rule>& rules,
                               const std::vector<std::size_t>& rule_of_pattern, std::uint64_t seed);

// For a database of some of the patterns of `full` (those with
// `included[id]`; ids as in `full`): true when, on every varied example and
// the neutral text, it reports exactly the ids of `full`'s matches that it
// includes. Both scratches must fit their databases.
bool database_agrees(const hs_database_t* subset, hs_scratch_t* subset_scratch, const hs_database_t* full,
                     hs_scratch_t* full_scratch, const std::vector<Rule>& rules, const std::vector<bool>& included,
                     std::uint64_t seed);

}  // namespace sentryscan
