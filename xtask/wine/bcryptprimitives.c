/* A stand-in for Windows 10's bcryptprimitives.dll, for the test runs under Wine only (never
 * shipped): Wine 8 lacks it, and Rust's standard library (1.78 and later) takes its random
 * numbers from its ProcessPrng. This one answers from RtlGenRandom (advapi32's
 * SystemFunction036), which Wine has. Built by `cargo xtask test` with MinGW-w64. */
#include <windows.h>
#include <ntsecapi.h>

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!RtlGenRandom(data, chunk)) {
            return FALSE;
        }
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
