package io.lminspect.elf;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class MachinesTest {
    static byte[] ident(int cls, int data) {
        byte[] b = new byte[16];
        b[0] = 0x7f; b[1] = 'E'; b[2] = 'L'; b[3] = 'F';
        b[4] = (byte) cls;
        b[5] = (byte) data;
        return b;
    }

    @Test
    void namesWhatItRefuses() {
        assertNull(Machines.unsupported(ident(2, 1), 62, 0));
        assertNull(Machines.unsupported(ident(1, 1), 3, 0));
        assertEquals("x32 (x86-64 code with 32-bit pointers)", Machines.unsupported(ident(1, 1), 62, 0));
        assertEquals("AArch64", Machines.unsupported(ident(2, 1), 183, 0));
        assertEquals("big-endian PowerPC64", Machines.unsupported(ident(2, 2), 0, 21));
        assertEquals("unknown machine 4242", Machines.name(4242));
    }
}
