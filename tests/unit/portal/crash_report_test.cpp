// The crash report (portal/crash_report.h) takes the fatal signals, except in a sanitizer
// build, whose own report of a fault (the access, its kind, the symbolized stack, shadow
// memory) is what such a build is for and must stay in place.
#include "portal/crash_report.h"

#include <gtest/gtest.h>
#include <signal.h>

namespace {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitizerBuild = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
constexpr bool kSanitizerBuild = true;
#else
constexpr bool kSanitizerBuild = false;
#endif
#else
constexpr bool kSanitizerBuild = false;
#endif

TEST(CrashReport, TakesTheFatalSignalsUnlessASanitizerReportsThem) {
  const int signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};
  struct sigaction before[5] = {};
  for (int i = 0; i < 5; ++i) ASSERT_EQ(sigaction(signals[i], nullptr, &before[i]), 0);
  portal::installCrashReport();
  struct sigaction after {};
  ASSERT_EQ(sigaction(SIGSEGV, nullptr, &after), 0);
  const bool replaced = (after.sa_flags & SA_SIGINFO) != (before[0].sa_flags & SA_SIGINFO) ||
                        reinterpret_cast<void*>(after.sa_sigaction) !=
                            reinterpret_cast<void*>(before[0].sa_sigaction);
  for (int i = 0; i < 5; ++i) sigaction(signals[i], &before[i], nullptr);
  if (kSanitizerBuild) {
    EXPECT_FALSE(replaced) << "the sanitizer's SEGV report was replaced by ours";
  } else {
    EXPECT_TRUE(replaced);
  }
}

}  // namespace
