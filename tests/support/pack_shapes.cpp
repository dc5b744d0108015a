#include "support/pack_shapes.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "support/git_cli.h"

namespace sentryscan::testing {
namespace {

// A history where one file changes a little in each of many commits, with
// secrets coming and going, and a second file copied around: long delta chains.
std::shared_ptr<GitRepo> history(int commits) {
  auto repo = std::make_shared<GitRepo>();
  std::string log;
  for (int i = 0; i < commits; ++i) {
    log += "line " + std::to_string(i) + " of the changelog, with some text to make deltas worth it\n";
    std::string content = log;
    if (i % 7 == 3) content += user_token_line("chain-" + std::to_string(i));
    repo->write("CHANGELOG.md", content);
    repo->write("src/config.py", "VALUE = " + std::to_string(i % 5) + "\n" + std::string(2000, 'x') + "\n");
    if (i % 10 == 0) repo->write("docs/" + std::to_string(i) + ".md", content.substr(0, content.size() / 2));
    if (i % 15 == 5) repo->write("big.bin", std::string(70000 + i, static_cast<char>('a' + i % 26)));
    repo->commit("c" + std::to_string(i));
  }
  return repo;
}

std::filesystem::path objects(const GitRepo& repo) { return repo.path() / ".git" / "objects"; }

// Offset and kind of every entry of the repository's single pack, from verify-pack.
struct PackEntry {
  std::string oid, type;
  std::uint64_t offset = 0, packed = 0;
  bool delta = false;
};
std::vector<PackEntry> entries(GitRepo& repo) {
  const auto packs = pack_files(objects(repo));
  std::vector<PackEntry> out;
  if (packs.empty()) return out;
  std::filesystem::path idx = packs.front();
  idx.replace_extension(".idx");
  std::istringstream listing(repo.git({"verify-pack", "-v", idx.string()}));
  std::string line;
  while (std::getline(listing, line)) {
    std::istringstream fields(line);
    PackEntry e;
    std::uint64_t size = 0;
    if (!(fields >> e.oid >> e.type >> size >> e.packed >> e.offset) || e.oid.size() != 40) continue;
    int depth = 0;
    e.delta = static_cast<bool>(fields >> depth);
    out.push_back(e);
  }
  return out;
}

void overwrite(const std::filesystem::path& file, std::uint64_t offset, const std::string& bytes) {
  std::filesystem::permissions(file, std::filesystem::perms::owner_write, std::filesystem::perm_options::add);
  std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
  f.seekp(static_cast<std::streamoff>(offset));
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// Writes an object of any content (`hash-object --literally`); its id.
std::string literal_object(GitRepo& repo, const std::string& type, const std::string& bytes) {
  const auto file = repo.path() / ".git" / "literal-object";
  std::ofstream(file, std::ios::binary) << bytes;
  std::string id = repo.git({"hash-object", "-t", type, "--literally", "-w", file.string()});
  std::filesystem::remove(file);
  return id.substr(0, 40);
}

std::string tree_entry(const std::string& mode, const std::string& name, const std::string& hex) {
  std::string raw;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) raw += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  return mode + " " + name + std::string(1, '\0') + raw;
}

// Trees and commits git itself would not write, packed: entries out of
// order, a name used by a file and by a directory, a 100664 mode, a commit
// without time zones, one with two author lines. The tree store
// (source/git/tree_store.h) leaves the first two and the zone-less commit
// to libgit2; a secret only they reach must come out the same either way.
std::shared_ptr<GitRepo> odd_objects() {
  auto repo = history(30);
  const std::string secret = literal_object(*repo, "blob", user_token_line("odd-tree"));
  const std::string other = repo->rev("HEAD:src/config.py");
  const std::string sub = literal_object(*repo, "tree", tree_entry("100644", "x.txt", secret));
  const std::string unsorted =
      literal_object(*repo, "tree", tree_entry("100644", "z.env", secret) + tree_entry("100644", "a.txt", other));
  const std::string both = literal_object(*repo, "tree", tree_entry("100644", "d", other) + tree_entry("40000", "d", sub));
  const std::string modes =
      literal_object(*repo, "tree", tree_entry("100664", "g.env", secret) + tree_entry("100755", "h.sh", other));
  const std::string top = literal_object(*repo, "tree",
                                         tree_entry("40000", "both", both) + tree_entry("40000", "modes", modes) +
                                             tree_entry("40000", "unsorted", unsorted));
  const std::string zoneless = literal_object(
      *repo, "commit",
      "tree " + top + "\nparent " + repo->rev("HEAD") +
          "\nauthor A <a@example.com> 1700000000\ncommitter C <c@example.com> 1700000100\n\nodd trees\n");
  const std::string two_authors = literal_object(
      *repo, "commit",
      "tree " + repo->rev("HEAD~3^{tree}") + "\nparent " + zoneless +
          "\nauthor A <a@example.com> 1700000200 +0000\nauthor B <b@example.com> 1700000300 +0000\n"
          "committer C <c@example.com> 1700000400 +0200\n\nback\n");
  repo->git({"update-ref", "refs/heads/odd", two_authors});
  repo->git({"repack", "-adfq"});
  return repo;
}

PackShape shape(std::string name, std::shared_ptr<GitRepo> repo, bool damaged = false) {
  PackShape s{std::move(name), repo->path(), damaged, {repo}};
  return s;
}

}  // namespace

std::vector<std::filesystem::path> pack_files(const std::filesystem::path& objects_dir) {
  std::vector<std::filesystem::path> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(objects_dir / "pack", ec))
    if (entry.path().extension() == ".pack") out.push_back(entry.path());
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<PackShape> build_pack_shapes() {
  std::vector<PackShape> shapes;

  auto loose = history(8);
  shapes.push_back(shape("loose only", loose));

  auto repacked = history(40);
  repacked->git({"repack", "-adfq", "--depth=50", "--window=50"});
  shapes.push_back(shape("repacked, OFS_DELTA chains", repacked));

  auto aggressive = history(30);
  aggressive->git({"gc", "-q", "--aggressive"});
  shapes.push_back(shape("gc --aggressive", aggressive));

  auto ref_delta = history(25);
  ref_delta->git({"-c", "repack.useDeltaBaseOffset=false", "repack", "-adfq", "--depth=50"});
  shapes.push_back(shape("REF_DELTA pack", ref_delta));

  auto multi = history(20);
  multi->git({"repack", "-adq"});
  for (int i = 0; i < 10; ++i) multi->commit_file("CHANGELOG.md", "rewritten " + std::to_string(i) + "\n" + user_token_line("multi-" + std::to_string(i)), "m");
  multi->git({"repack", "-dq"});  // a second pack with the new objects only
  for (int i = 0; i < 3; ++i) multi->commit_file("late.txt", user_token_line("loose-" + std::to_string(i)), "loose");
  shapes.push_back(shape("two packs and loose objects", multi));

  // Damage: one blob entry's compressed bytes, one delta's bytes, a truncated pack.
  auto corrupt = history(25);
  corrupt->git({"repack", "-adfq", "--depth=50"});
  bool damaged = false;
  for (const auto& e : entries(*corrupt))
    if (e.type == "blob" && !e.delta && e.packed > 40) {
      overwrite(pack_files(objects(*corrupt)).front(), e.offset + e.packed / 2, std::string(8, '\x5a'));
      damaged = true;
      break;
    }
  if (!damaged) throw std::runtime_error("pack_shapes: no blob entry to damage");
  shapes.push_back(shape("corrupt blob entry", corrupt, true));

  auto corrupt_delta = history(25);
  corrupt_delta->git({"repack", "-adfq", "--depth=50"});
  damaged = false;
  for (const auto& e : entries(*corrupt_delta))
    if (e.type == "blob" && e.delta && e.packed > 20) {
      overwrite(pack_files(objects(*corrupt_delta)).front(), e.offset + e.packed - 8, std::string(6, '\x00'));
      damaged = true;
      break;
    }
  if (!damaged) throw std::runtime_error("pack_shapes: no delta entry to damage");
  shapes.push_back(shape("corrupt delta", corrupt_delta, true));

  auto truncated = history(25);
  truncated->git({"repack", "-adfq", "--depth=50"});
  {
    const auto pack = pack_files(objects(*truncated)).front();
    std::filesystem::permissions(pack, std::filesystem::perms::owner_write, std::filesystem::perm_options::add);
    std::filesystem::resize_file(pack, std::filesystem::file_size(pack) * 2 / 3);
  }
  shapes.push_back(shape("truncated pack", truncated, true));

  // Shallow and partial clones of a repacked history, over file:// URLs.
  auto origin = history(25);
  origin->git({"repack", "-adfq"});
  origin->git({"config", "uploadpack.allowFilter", "true"});
  auto shallow_dir = std::make_shared<GitRepo>(true);
  std::filesystem::remove_all(shallow_dir->path());
  origin->git({"clone", "-q", "--bare", "--depth", "5", "file://" + origin->path().string(), shallow_dir->path().string()});
  shapes.push_back({"shallow clone", shallow_dir->path(), true, {origin, shallow_dir}});
  auto partial_dir = std::make_shared<GitRepo>(true);
  std::filesystem::remove_all(partial_dir->path());
  origin->git({"clone", "-q", "--bare", "--filter=blob:none", "file://" + origin->path().string(), partial_dir->path().string()});
  shapes.push_back({"partial clone (blob:none)", partial_dir->path(), true, {origin, partial_dir}});

  // Alternates: the clone's own pack holds only what it added; the rest is
  // borrowed from the origin's object database.
  auto shared = std::make_shared<GitRepo>();
  std::filesystem::remove_all(shared->path());
  origin->git({"clone", "-q", "--shared", origin->path().string(), shared->path().string()});
  for (int i = 0; i < 3; ++i) shared->commit_file("CHANGELOG.md", "alt " + std::to_string(i) + "\n" + user_token_line("alt-" + std::to_string(i)), "alt");
  shared->git({"repack", "-adlq"});
  shapes.push_back({"alternates", shared->path(), false, {origin, shared}});

  shapes.push_back(shape("odd trees and commits", odd_objects()));
  return shapes;
}

}  // namespace sentryscan::testing
