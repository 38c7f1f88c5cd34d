/*
 * bcryptprimitives.dll for Wine 8: Go >= 1.22 on Windows calls ProcessPrng from this DLL at
 * start-up, and Wine 8 has no such DLL. This one exports ProcessPrng over advapi32's
 * SystemFunction036 (RtlGenRandom). Test-only: it is never shipped with lyncmigrate.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
	/* RtlGenRandom takes a ULONG length: fill in chunks */
	while (len > 0) {
		ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
		if (!SystemFunction036(data, n))
			return FALSE;
		data += n;
		len -= n;
	}
	return TRUE;
}

BOOL WINAPI DllMain(HINSTANCE dll, DWORD reason, LPVOID reserved)
{
	(void)dll;
	(void)reason;
	(void)reserved;
	return TRUE;
}
