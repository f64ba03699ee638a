#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "db/connection.h"

namespace db {

// cluster_generations: a counter per kind of node-local state ("calendar", "pages") that a
// writer bumps when it changes that state in the database, so that every node notices within
// one poll and reloads. Works on the caller's connection (inside its transaction when there is
// one, so the bump commits with the change). Throws DbError.
void bumpGeneration(Connection& conn, const std::string& name);
// Every counter, by name.
std::map<std::string, std::uint64_t> readGenerations(Connection& conn);

}  // namespace db
