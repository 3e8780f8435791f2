/*
 * bcryptprimitives.dll stand-in for Wine versions that lack it (Debian's Wine 8).
 *
 * Rust's standard library for Windows takes its random bytes (HashMap seeds and the like)
 * from ProcessPrng, which Windows 10 and later export from bcryptprimitives.dll. Wine 8 has
 * no such DLL, so every Rust .exe fails to start under it. This DLL exports ProcessPrng and
 * fills the buffer with RtlGenRandom (exported by advapi32 as SystemFunction036), which
 * Wine implements. It is only used to run pitwall's Windows tests under Wine; real Windows
 * has the genuine DLL and never loads this one.
 *
 * Build: tools/wine/build.sh (x86_64-w64-mingw32-gcc).
 */
#include <windows.h>

/* RtlGenRandom: advapi32 exports it under this name only. */
BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

/* Same contract as the Windows export: fill `len` bytes, return TRUE. */
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    /* RtlGenRandom takes a 32-bit length: feed larger requests in chunks. */
    const SIZE_T chunk_max = 0x40000000;
    while (len > 0) {
        ULONG chunk = (ULONG)(len < chunk_max ? len : chunk_max);
        if (!SystemFunction036(data, chunk)) {
            return FALSE;
        }
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved)
{
    (void)instance;
    (void)reason;
    (void)reserved;
    return TRUE;
}
