#include "db/generations.h"

namespace db {

void bumpGeneration(Connection& conn, const std::string& name) {
  conn.execute(
      "INSERT INTO cluster_generations (name, generation) VALUES (?, 1) "
      "ON DUPLICATE KEY UPDATE generation = generation + 1, changed_at = CURRENT_TIMESTAMP(3)",
      name);
}

std::map<std::string, std::uint64_t> readGenerations(Connection& conn) {
  Rows r = conn.query("SELECT name, generation FROM cluster_generations");
  std::map<std::string, std::uint64_t> out;
  while (r.next()) out[r.str("name")] = static_cast<std::uint64_t>(r.i64("generation"));
  return out;
}

}  // namespace db
