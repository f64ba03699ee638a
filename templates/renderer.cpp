#include "templates/renderer.h"

#include <filesystem>
#include <fstream>
#include <kainjow/mustache.hpp>
#include <mutex>
#include <sstream>
#include <string_view>
#include <vector>

namespace templates {
namespace embedded {
const std::vector<std::pair<std::string_view, std::string_view>>& embeddedFiles();
}

namespace mstch = kainjow::mustache;

namespace {

constexpr std::string_view kSuffix = ".mustache";

std::map<std::string, std::string> loadSources(const Options& options) {
  std::map<std::string, std::string> out;
  if (options.dir.empty()) {
    for (const auto& [file, text] : embedded::embeddedFiles()) {
      std::string name(file.substr(0, file.size() - kSuffix.size()));
      out.emplace(std::move(name), std::string(text));
    }
    return out;
  }
  for (const auto& entry : std::filesystem::directory_iterator(options.dir)) {
    const std::string file = entry.path().filename().string();
    if (file.size() <= kSuffix.size() || file.substr(file.size() - kSuffix.size()) != kSuffix) {
      continue;
    }
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    out.emplace(file.substr(0, file.size() - kSuffix.size()), ss.str());
  }
  return out;
}

mstch::data toData(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::object: {
      mstch::data d{mstch::data::type::object};
      for (auto it = j.begin(); it != j.end(); ++it) d.set(it.key(), toData(it.value()));
      return d;
    }
    case nlohmann::json::value_t::array: {
      mstch::data d{mstch::data::type::list};
      for (const auto& v : j) d.push_back(toData(v));
      return d;
    }
    case nlohmann::json::value_t::string:
      // An empty string is false, as null is, so {{#remarks}}...{{/remarks}} hides an empty
      // field; as a variable it still renders as nothing.
      return j.get_ref<const std::string&>().empty() ? mstch::data{false}
                                                     : mstch::data{j.get<std::string>()};
    case nlohmann::json::value_t::boolean:
      return mstch::data{j.get<bool>()};
    case nlohmann::json::value_t::null:
      return mstch::data{false};
    default:
      return mstch::data{j.dump()};
  }
}

}  // namespace

struct Renderer::Impl {
  Options options;
  std::map<std::string, std::string> sources;
  // kainjow's render() is not const (it writes the template's error state and walks its
  // component tree with mutable state), so a compiled template serves one render at a time:
  // each name has a stack of idle compiled copies; a render takes one (compiling another when
  // all are busy, so at most one per concurrent render) and puts it back. The lock is held
  // only to push and pop.
  std::mutex idle_mu;
  std::map<std::string, std::vector<std::unique_ptr<mstch::mustache>>> idle;

  std::unique_ptr<mstch::mustache> take(const std::string& name) {
    {
      std::lock_guard<std::mutex> lock(idle_mu);
      auto it = idle.find(name);
      if (it == idle.end()) return nullptr;
      if (!it->second.empty()) {
        auto t = std::move(it->second.back());
        it->second.pop_back();
        return t;
      }
    }
    // Checked valid at start; compiling the same text again gives the same template.
    return std::make_unique<mstch::mustache>(sources.at(name));
  }
  void giveBack(const std::string& name, std::unique_ptr<mstch::mustache> t) {
    std::lock_guard<std::mutex> lock(idle_mu);
    idle[name].push_back(std::move(t));
  }

  // Templates named layout_* or part_* are offered as partials to every template. Only those:
  // partials live in the same namespace as the view's keys, and a page named "item" must not
  // hide the view's "item".
  void addPartials(mstch::data& d, const std::map<std::string, std::string>& src) const {
    for (const auto& [name, text] : src) {
      if (name.rfind("layout_", 0) != 0 && name.rfind("part_", 0) != 0) continue;
      const std::string* t = &text;
      d.set(name, mstch::partial([t] { return *t; }));
    }
  }

  std::string renderWith(const std::map<std::string, std::string>& src, mstch::mustache& tmpl,
                         const std::string& name, const nlohmann::json& view) const {
    mstch::data d = view.is_object() ? toData(view) : mstch::data{mstch::data::type::object};
    addPartials(d, src);
    std::string out = tmpl.render(d);
    if (!tmpl.is_valid()) {
      throw TemplateError("template " + name + ": " + tmpl.error_message());
    }
    return out;
  }
};

Renderer::Renderer(Options options) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  impl_->sources = loadSources(impl_->options);
  std::string errors;
  for (const auto& [name, text] : impl_->sources) {
    auto t = std::make_unique<mstch::mustache>(text);
    if (!t->is_valid()) {
      errors += name + ": " + t->error_message() + "\n";
      continue;
    }
    try {
      impl_->renderWith(impl_->sources, *t, name, nlohmann::json::object());
    } catch (const TemplateError& e) {
      errors += std::string(e.what()) + "\n";
      continue;
    }
    impl_->idle[name].push_back(std::move(t));
  }
  if (!errors.empty()) throw TemplateError("invalid templates:\n" + errors);
  if (impl_->sources.empty()) throw TemplateError("no templates found");
}

Renderer::~Renderer() = default;

std::string Renderer::render(const std::string& name, const nlohmann::json& view) const {
  if (!impl_->options.dir.empty()) {
    auto sources = loadSources(impl_->options);
    auto it = sources.find(name);
    if (it == sources.end()) throw TemplateError("no template named " + name);
    mstch::mustache t(it->second);
    if (!t.is_valid()) throw TemplateError("template " + name + ": " + t.error_message());
    return impl_->renderWith(sources, t, name, view);
  }
  std::unique_ptr<mstch::mustache> t = impl_->take(name);
  if (!t) throw TemplateError("no template named " + name);
  // When this throws, the copy (its error state set) is dropped rather than reused.
  std::string out = impl_->renderWith(impl_->sources, *t, name, view);
  impl_->giveBack(name, std::move(t));
  return out;
}

bool Renderer::has(const std::string& name) const { return impl_->sources.count(name) > 0; }

std::vector<std::string> Renderer::names() const {
  std::vector<std::string> out;
  for (const auto& [name, text] : impl_->sources) out.push_back(name);
  return out;
}

}  // namespace templates
