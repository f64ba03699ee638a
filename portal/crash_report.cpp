#include "portal/crash_report.h"

#include <execinfo.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <initializer_list>

namespace portal {

namespace {

// Room for the handler when the fault is a stack overflow of the main thread (other threads
// overflow onto their guard page without it and die silently, as before).
char g_alt_stack[64 * 1024];

// Async-signal-safe output: write(2) only, numbers formatted by hand.
void put(const char* s) {
  ssize_t ignored = ::write(STDERR_FILENO, s, std::strlen(s));
  (void)ignored;
}

void putNumber(unsigned long long n, int base) {
  char buf[32];
  int i = sizeof buf;
  buf[--i] = '\0';
  do {
    const int digit = static_cast<int>(n % static_cast<unsigned>(base));
    buf[--i] = static_cast<char>(digit < 10 ? '0' + digit : 'a' + digit - 10);
    n /= static_cast<unsigned>(base);
  } while (n != 0 && i > 0);
  put(buf + i);
}

void onFatalSignal(int sig, siginfo_t* info, void*) {
  put("fatal signal ");
  putNumber(static_cast<unsigned>(sig), 10);
  put(" (");
  put(sigdescr_np(sig) ? sigdescr_np(sig) : "?");
  put(") at address 0x");
  putNumber(reinterpret_cast<unsigned long long>(info ? info->si_addr : nullptr), 16);
  put(" in thread ");
  putNumber(static_cast<unsigned long long>(::syscall(SYS_gettid)), 10);
  put("; call stack:\n");
  void* frames[64];
  const int n = ::backtrace(frames, 64);
  ::backtrace_symbols_fd(frames, n, STDERR_FILENO);
  put("end of call stack\n");
  // SA_RESETHAND restored the default action: return, and the faulting instruction faults
  // again (or re-raise for signals sent by kill/abort), ending the process as it would have.
  if (info == nullptr || info->si_code <= 0) ::raise(sig);
}

}  // namespace

void installCrashReport() {
  // A sanitizer build reports a fault itself, far better (the access, its kind, a symbolized
  // stack): the build that is run to find a crash must keep that report.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  return;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
  return;
#endif
#endif
  // backtrace() loads libgcc on first use, which allocates: do that now, not in the handler.
  void* warm[1];
  ::backtrace(warm, 1);
  stack_t ss{};
  ss.ss_sp = g_alt_stack;
  ss.ss_size = sizeof g_alt_stack;
  ::sigaltstack(&ss, nullptr);
  struct sigaction sa {};
  sa.sa_sigaction = onFatalSignal;
  sa.sa_flags = SA_SIGINFO | SA_RESETHAND | SA_ONSTACK;
  sigemptyset(&sa.sa_mask);
  for (int sig : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT}) ::sigaction(sig, &sa, nullptr);
}

}  // namespace portal
