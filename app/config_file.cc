// `--config FILE` for a command (app.h ApplyConfigFile): a TOML file (tomlplusplus) whose every
// top-level key is one of the command's long flags without the dashes; a flag given on the
// command line overrides the file.
#include <toml++/toml.h>

#include <sstream>

#include "app/app.h"

namespace foodtrace::app {
namespace {

std::string Where(const std::string& path, const toml::source_region& region) {
  return path + ":" + std::to_string(region.begin.line);
}

// A TOML value as the flag text CLI11 parses: strings as they are, numbers and booleans spelled.
Result<std::string> FlagText(const toml::node& node, const std::string& where, const std::string& key) {
  if (auto s = node.as_string()) return std::string(s->get());
  if (auto i = node.as_integer()) return std::to_string(i->get());
  if (auto f = node.as_floating_point()) {
    std::ostringstream out;
    out << f->get();
    return out.str();
  }
  if (auto b = node.as_boolean()) return std::string(b->get() ? "true" : "false");
  return Status::Invalid("CONFIG_VALUE", where + ": `" + key + "` must be a string, number or boolean");
}

}  // namespace

Status ApplyConfigFile(CLI::App* cmd, const std::string& path) {
  toml::table table;
  try {
    table = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return Status::Invalid("CONFIG_SYNTAX", Where(path, e.source()) + ": " + std::string(e.description()));
  }
  for (const auto& [raw_key, node] : table) {
    const std::string key(raw_key.str());
    const std::string where = Where(path, node.source());
    CLI::Option* option = cmd->get_option_no_throw("--" + key);
    if (option == nullptr || key == "config") {
      return Status::Invalid("CONFIG_KEY", where + ": unknown key `" + key + "`: the keys are the flags of `foodtrace " +
                                               cmd->get_name() + " --help` without their dashes");
    }
    if (option->count() > 0) continue;  // the command line wins
    std::vector<std::string> values;
    if (const toml::array* array = node.as_array()) {
      for (const toml::node& item : *array) {
        auto text = FlagText(item, where, key);
        if (!text.ok()) return text.status();
        values.push_back(*text);
      }
    } else {
      auto text = FlagText(node, where, key);
      if (!text.ok()) return text.status();
      values.push_back(*text);
    }
    try {
      if (option->get_expected_min() == 0) {  // a flag: true or false
        for (const std::string& v : values) option->add_result(option->get_flag_value(key, v));
      } else {
        option->add_result(values);
      }
      option->run_callback();
    } catch (const CLI::Error& e) {
      return Status::Invalid("CONFIG_VALUE", where + ": `" + key + "`: " + e.what());
    }
  }
  return Status::Ok();
}

}  // namespace foodtrace::app
