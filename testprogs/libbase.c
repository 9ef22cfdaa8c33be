/*
 * libbase: the glibc-update incident's libc in miniature (soname libbase.so.1). v1 defines
 * versions BASE_1.0 and BASE_PRIVATE; v2 (-DV2) adds base_priv_b to
 * BASE_PRIVATE (like __h_errno@GLIBC_PRIVATE in a glibc update) and a new
 * version BASE_2.0. A process keeps v1 mapped after v2 replaces it by rename;
 * libraries built against v2 then fail to dlopen in that process.
 */
int base_hello(int x) { return x + 1; }

int base_priv_a(int x) { return x * 2; }

#ifdef V2
int base_priv_b(int x) { return x * 3; }

int base_v2_only(int x) { return x * 4; }
#endif
