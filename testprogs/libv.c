/*
 * libv: the test library of the overwritten-library incident. Pointer data gives it R_X86_64_RELATIVE
 * relocations (a table of strings, a function pointer) and a GOT; built twice
 * from this source: libv (v1) and, with -DBIG, a larger build (v2) whose
 * layout differs, to overwrite the first in place.
 */
#include <stdio.h>

static const char *const greetings[] = {"hello", "bonjour", "hallo", "ciao", "hola", "namaste", "salve", "hej"};
static int counter;

static int bump(void) { return ++counter; }
int (*libv_hook)(void) = bump;
const char *const *libv_table = greetings;

#ifdef BIG
/* v2 carries more code and data so its layout (and .dynamic offsets) move */
static const char *const more[] = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"};
const char *const *libv_more = more;
int libv_big_extra(int x) { int s = 0; for (int i = 0; i < x; i++) s += i * 3 + (int) more[i % 10][0]; return s; }
#endif

int libv_get(int i) {
    return libv_hook() + (int) greetings[i & 7][0];
}

const char *libv_name(int i) {
    return libv_table[i & 7];
}
