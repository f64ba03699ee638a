#pragma once

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace templates {

struct Options {
  // Empty: use the templates compiled into the binary. Otherwise read NAME.mustache from
  // this folder at every render, for editing templates without rebuilding.
  std::string dir;
};

// A template that does not compile, or a render that failed. The message names the template;
// it is for logs, never for the public.
class TemplateError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Renders named Mustache templates with a JSON view model. Templates named layout_* or part_*
// are available to the others as partials under their names ({{>layout_top}}). Sections treat
// null, false, empty lists and empty strings as false. {{x}} escapes HTML;
// {{{x}}} is raw and reserved for HTML the server built itself. Thread safety: render() may be
// called from many threads at once.
class Renderer {
 public:
  // Compiles every template and renders each once with an empty view; throws TemplateError
  // naming each invalid one, so a server never starts with a broken template.
  explicit Renderer(Options options = {});
  ~Renderer();

  std::string render(const std::string& name, const nlohmann::json& view) const;
  bool has(const std::string& name) const;
  std::vector<std::string> names() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace templates
