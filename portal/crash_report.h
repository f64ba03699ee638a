#pragma once

namespace portal {

// On a fatal signal (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT) writes one line naming the
// signal, the faulting address and thread, and the call stack (module+offset, for addr2line)
// to stderr, i.e. the portal's log, then dies by the same signal as it would have (exit
// status, core dump). Without it a crash under load leaves nothing but "Segmentation fault"
// in the shell that started the server. Call once, before any thread starts.
void installCrashReport();

}  // namespace portal
