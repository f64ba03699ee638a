// The dependency rule of DESIGN.md, checked on the source tree: every #include "..." of a
// production file must point into its own library or into one its CMake link list names, and
// third-party headers appear only in the library that owns them. The table below is the rule;
// the test also holds it against the build (which library compiles each .cpp, and what each
// library links), so neither can drift from the other.
//
// A new include edge that is not in the table fails here even when it would link.

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

// Which library a file belongs to: the longest matching path prefix.
const std::vector<std::pair<std::string, std::string>> kOwners = {
    {"base/", "base"},
    {"db/", "db"},
    {"templates/", "templates"},
    {"search/", "search"},
    {"hotline/", "hotline"},
    {"portal/http/", "portal_http"},
    {"portal/metrics.", "portal_http"},
    {"portal/changes/", "portal_changes"},
    {"portal/accounts/", "portal_accounts"},
    {"portal/publishing/", "portal_publishing"},
    {"portal/disclosure/", "portal_disclosure"},
    {"portal/indexing/", "portal_indexing"},
    {"portal/demo/", "portal_demo"},
    {"portal/publishing/demo_data.", "portal_demo"},
    {"portal/disclosure/decision_demo.", "portal_demo"},
    {"portal/disclosure/disclosure_demo.", "portal_demo"},
    {"portal/disclosure/officer_demo.", "portal_demo"},
    {"portal/config.", "portal_config"},
    {"portal/web/", "portal_web"},
    {"portal/app.", "portal_core"},
    {"portal/main.", "portal_core"},
    {"portal/crash_report.", "portal_core"},
};

// What each library may include besides itself: exactly its link list in CMake.
const std::map<std::string, std::set<std::string>> kAllowed = {
    {"base", {}},
    {"db", {"base"}},
    {"templates", {}},
    {"search", {"base"}},
    {"hotline", {"base", "db"}},
    {"portal_http", {"base", "db"}},
    {"portal_changes", {"base", "db"}},
    {"portal_accounts", {"base", "db"}},
    {"portal_publishing", {"base", "db", "hotline", "portal_accounts", "portal_changes"}},
    {"portal_disclosure",
     {"base", "db", "hotline", "portal_accounts", "portal_publishing", "portal_changes"}},
    {"portal_indexing",
     {"base", "db", "search", "portal_accounts", "portal_publishing", "portal_disclosure",
      "portal_changes"}},
    {"portal_demo",
     {"base", "db", "hotline", "portal_accounts", "portal_publishing", "portal_disclosure",
      "portal_changes"}},
    {"portal_config",
     {"base", "db", "hotline", "templates", "portal_http", "portal_accounts", "portal_disclosure"}},
    {"portal_web",
     {"base", "db", "hotline", "search", "templates", "portal_http", "portal_config",
      "portal_accounts", "portal_publishing", "portal_disclosure", "portal_indexing",
      "portal_changes"}},
    {"portal_core",
     {"base", "db", "templates", "search", "hotline", "portal_http", "portal_changes",
      "portal_accounts", "portal_publishing", "portal_disclosure", "portal_indexing", "portal_demo",
      "portal_config", "portal_web"}},
};

// Third-party headers and the one library that may include them (DESIGN.md).
const std::vector<std::pair<std::string, std::string>> kThirdParty = {
    {"cppconn/", "db"},           {"mysql_", "db"},     {"xapian", "search"},
    {"opencc/", "search"},        {"curl/", "hotline"}, {"vips/", "hotline"},
    {"kainjow/", "templates"},    {"pistache/", "portal_http"},
};

std::optional<std::string> ownerOf(const std::string& path) {
  std::size_t best = 0;
  std::optional<std::string> owner;
  for (const auto& [prefix, lib] : kOwners) {
    if (path.compare(0, prefix.size(), prefix) == 0 && prefix.size() > best) {
      best = prefix.size();
      owner = lib;
    }
  }
  return owner;
}

bool isSource(const fs::path& p) {
  const auto ext = p.extension().string();
  return ext == ".cpp" || ext == ".h";
}

// Every breach of the rule in the production files under `root`, one line each.
std::vector<std::string> violations(const fs::path& root) {
  static const std::regex kInclude(R"(^\s*#\s*include\s*([<"])([^>"]+)[>"])");
  std::vector<std::string> out;
  for (const char* top : {"base", "db", "templates", "search", "hotline", "portal"}) {
    if (!fs::exists(root / top)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(root / top)) {
      if (!entry.is_regular_file() || !isSource(entry.path())) continue;
      const std::string rel = fs::relative(entry.path(), root).generic_string();
      const auto from = ownerOf(rel);
      if (!from) {
        out.push_back(rel + ": belongs to no library of the layer table");
        continue;
      }
      std::ifstream in(entry.path());
      std::string line;
      for (int n = 1; std::getline(in, line); ++n) {
        std::smatch m;
        if (!std::regex_search(line, m, kInclude)) continue;
        const std::string header = m[2];
        const std::string where = rel + ":" + std::to_string(n) + ": ";
        if (m[1] == "<") {
          for (const auto& [prefix, lib] : kThirdParty) {
            if (header.compare(0, prefix.size(), prefix) == 0 && *from != lib) {
              out.push_back(where + *from + " includes <" + header + ">, which only " + lib +
                            " may use");
            }
          }
          continue;
        }
        const auto to = ownerOf(header);
        if (!to) continue;  // a header of the tests or a generated one
        if (*to == *from) continue;
        const auto& allowed = kAllowed.at(*from);
        if (allowed.count(*to) == 0) {
          out.push_back(where + *from + " includes \"" + header + "\" of " + *to +
                        ", which it may not use");
        }
      }
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string s;
  for (const auto& l : lines) s += "  " + l + "\n";
  return s;
}

TEST(LayerRule, EveryIncludeFollowsTheDependencyTable) {
  const auto found = violations(PORTAL_SOURCE_DIR);
  EXPECT_TRUE(found.empty())
      << "includes that break the layering (DESIGN.md, portal/CMakeLists.txt):\n"
      << joined(found);
}

// The build's own view, written by tests/CMakeLists.txt: per library, its directory, its
// sources and its link list.
struct Target {
  std::string source_dir;
  std::vector<std::string> sources;
  std::set<std::string> links;
};

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> parts;
  std::stringstream in(s);
  std::string part;
  while (std::getline(in, part, ';')) {
    if (!part.empty()) parts.push_back(part);
  }
  return parts;
}

std::map<std::string, Target> readBuildTargets() {
  std::map<std::string, Target> targets;
  std::ifstream in(LAYER_TARGETS_FILE);
  std::string line;
  while (std::getline(in, line)) {
    std::stringstream fields(line);
    std::string name, dir, sources, links;
    std::getline(fields, name, '|');
    std::getline(fields, dir, '|');
    std::getline(fields, sources, '|');
    std::getline(fields, links, '|');
    Target t;
    t.source_dir = dir;
    t.sources = split(sources);
    for (const auto& l : split(links)) {
      if (kAllowed.count(l) > 0) t.links.insert(l);
    }
    targets[name] = t;
  }
  return targets;
}

TEST(LayerRule, TheTableIsWhatTheBuildCompilesAndLinks) {
  const auto targets = readBuildTargets();
  ASSERT_EQ(targets.size(), kAllowed.size()) << "read from " << LAYER_TARGETS_FILE;
  const fs::path root = fs::canonical(PORTAL_SOURCE_DIR);
  for (const auto& [name, target] : targets) {
    SCOPED_TRACE(name);
    EXPECT_EQ(target.links, kAllowed.at(name)) << "the link list differs from the layer table";
    for (const auto& source : target.sources) {
      fs::path p = source;
      if (p.is_relative()) p = fs::path(target.source_dir) / p;
      const std::string rel = fs::relative(fs::weakly_canonical(p), root).generic_string();
      if (rel.rfind("..", 0) == 0 || rel.rfind("build", 0) == 0) continue;  // generated
      EXPECT_EQ(ownerOf(rel).value_or("(none)"), name) << rel << " is compiled into " << name;
    }
  }
}

// The checker itself: an include the table does not allow is reported with file and line.
TEST(LayerRule, AnIncludeAgainstTheTableIsReported) {
  const fs::path root = fs::temp_directory_path() / ("layer_rule_" + std::to_string(::getpid()));
  fs::create_directories(root / "portal/accounts");
  fs::create_directories(root / "hotline");
  std::ofstream(root / "portal/accounts/account.cpp")
      << "#include \"portal/accounts/account.h\"\n#include \"db/pool.h\"\n"
         "#include \"portal/web/views.h\"\n";
  std::ofstream(root / "hotline/sms.cpp") << "#include <pistache/http.h>\n";
  const auto found = violations(root);
  fs::remove_all(root);
  ASSERT_EQ(found.size(), 2u) << joined(found);
  EXPECT_NE(found[0].find("hotline/sms.cpp:1: hotline includes <pistache/http.h>"),
            std::string::npos)
      << found[0];
  EXPECT_NE(found[1].find("portal/accounts/account.cpp:3: portal_accounts includes "
                          "\"portal/web/views.h\" of portal_web"),
            std::string::npos)
      << found[1];
}

// The time of day has one source (docs/time.md): hotline::LocalClock, whose instant the
// accounts code takes as its Clock. Reading the host's clock or zone anywhere else bypasses
// the clock tests inject (and a host in another zone gets another date).
const std::set<std::string> kClockFiles = {"hotline/local_clock.cpp", "portal/accounts/clock.cpp"};

std::vector<std::string> clockViolations(const fs::path& root) {
  static const std::regex kHostTime(R"(system_clock::now|\blocaltime|\bgmtime|\btime\(nullptr\))");
  std::vector<std::string> out;
  for (const char* top : {"base", "db", "templates", "search", "hotline", "portal"}) {
    if (!fs::exists(root / top)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(root / top)) {
      if (!entry.is_regular_file() || !isSource(entry.path())) continue;
      const std::string rel = fs::relative(entry.path(), root).generic_string();
      if (kClockFiles.count(rel) > 0) continue;
      std::ifstream in(entry.path());
      std::string line;
      for (int n = 1; std::getline(in, line); ++n) {
        const std::string code = line.substr(0, line.find("//"));
        // The regex only where it may match (it is slow over the whole tree).
        if (code.find("time") == std::string::npos && code.find("clock") == std::string::npos) {
          continue;
        }
        std::smatch m;
        if (std::regex_search(code, m, kHostTime)) {
          out.push_back(rel + ":" + std::to_string(n) + ": reads the host's time (" + m.str() +
                        "); use the injected clock");
        }
      }
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(ClockRule, OnlyTheClockReadsTheHostsTime) {
  const auto found = clockViolations(PORTAL_SOURCE_DIR);
  EXPECT_TRUE(found.empty()) << "the time of day read past hotline::LocalClock:\n" << joined(found);
}

// The checker itself: a call outside the clock files is reported, the clock files and comments
// are not.
TEST(ClockRule, AHostClockCallIsReported) {
  const fs::path root = fs::temp_directory_path() / ("clock_rule_" + std::to_string(::getpid()));
  fs::create_directories(root / "portal/accounts");
  fs::create_directories(root / "hotline");
  std::ofstream(root / "portal/accounts/audit_store.cpp")
      << "// not system_clock::now() here\nauto t = std::chrono::system_clock::now();\n";
  std::ofstream(root / "hotline/list.cpp") << "int x;\nlocaltime_r(&t, &tm);\n";
  std::ofstream(root / "hotline/local_clock.cpp") << "return std::chrono::system_clock::now();\n";
  const auto found = clockViolations(root);
  fs::remove_all(root);
  ASSERT_EQ(found.size(), 2u) << joined(found);
  EXPECT_NE(found[0].find("hotline/list.cpp:2: reads the host's time (localtime)"),
            std::string::npos)
      << found[0];
  EXPECT_NE(found[1].find("portal/accounts/audit_store.cpp:2: reads the host's time"),
            std::string::npos)
      << found[1];
}

}  // namespace
