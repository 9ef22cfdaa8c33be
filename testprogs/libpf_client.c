/*
 * Clients of libbase for the preflight tests, all linked against libbase v2.
 * One source, one scenario per macro:
 *   USE_OLD       only base_hello@BASE_1.0 and base_priv_a@BASE_PRIVATE (v1 has both: loads)
 *   USE_NEW       base_priv_b@BASE_PRIVATE (v1 defines the version, not the symbol: fails)
 *   USE_V2ONLY    base_v2_only@BASE_2.0 (v1 lacks the version entirely: fails)
 *   USE_MID       calls pf_mid() of libpf_mid.so (found through RUNPATH $ORIGIN/deps), which uses USE_NEW's symbol
 *   USE_ABSENT    calls pf_absent() of libpf_absent.so.1, which is never installed
 */
int base_hello(int);
int base_priv_a(int);
int base_priv_b(int);
int base_v2_only(int);
int pf_mid(int);
int pf_absent(int);

int pf_client(int x) {
#if defined(USE_OLD)
    return base_hello(x) + base_priv_a(x);
#elif defined(USE_NEW)
    return base_priv_b(x);
#elif defined(USE_V2ONLY)
    return base_v2_only(x);
#elif defined(USE_MID)
    return pf_mid(x);
#elif defined(USE_ABSENT)
    return pf_absent(x);
#else
    return x;
#endif
}

#ifdef MID
int pf_mid(int x) { return pf_client(x) + 1; }
#endif

#ifdef ABSENT
int pf_absent(int x) { return x; }
#endif
