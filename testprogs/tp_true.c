/* Exits 0 at once. Built 32-bit (tp_true32) so the tests can ask the kernel whether
   it runs i386 binaries at all: gcc-multilib builds them anywhere, but a kernel
   without IA32 emulation refuses them with "Exec format error". */
int main(void) { return 0; }
