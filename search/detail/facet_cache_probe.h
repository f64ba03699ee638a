#pragma once

#include <atomic>
#include <functional>

// For tests: a look at the facet caches the searchers of this process share (FacetCacheRegistry
// in searcher.cpp). Internal to the search module.

namespace search::detail {

struct FacetCacheProbe {
  std::atomic<int> builds{0};   // facet caches built since the process started
  std::atomic<int> waiting{0};  // searches waiting now for a cache another search is building
  // Run by a building thread before it builds, when set. Set it only while no search runs.
  std::function<void()> before_build;
};

FacetCacheProbe& facetCacheProbe();

}  // namespace search::detail
