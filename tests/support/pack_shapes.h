// Git repositories in every shape the audit's pack reader meets: delta-heavy
// and aggressively repacked, REF_DELTA packs, several packs plus loose
// objects, damaged (corrupt entry, corrupt delta, truncated pack), shallow,
// partial (blob:none from a file:// URL) and alternates. Secrets are
// generated (user_token_line) and spread over many versions of a file.
//   for (const PackShape& shape : build_pack_shapes()) scan(shape.path);
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "support/git_repo.h"

namespace sentryscan::testing {

struct PackShape {
  std::string name;
  std::filesystem::path path;  // a working tree or a bare repository
  bool damaged = false;        // objects are missing or unreadable on purpose
  std::vector<std::shared_ptr<GitRepo>> keep;  // the repositories (and temp dirs) behind `path`
};

std::vector<PackShape> build_pack_shapes();

// The .pack files of a repository's object database.
std::vector<std::filesystem::path> pack_files(const std::filesystem::path& objects_dir);

}  // namespace sentryscan::testing
