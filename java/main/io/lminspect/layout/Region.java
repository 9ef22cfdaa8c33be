package io.lminspect.layout;

import io.lminspect.inferior.Mapping;

/** A mapping with the part of the address space it belongs to, as a person reads a layout. */
public record Region(Kind kind, Mapping mapping) {

    public enum Kind {
        EXE_TEXT("exe text"), EXE_RODATA("exe rodata"), EXE_DATA("exe data"), EXE_BSS("exe bss"), HEAP("heap"),
        LIBRARY_TEXT("library text"), LIBRARY_DATA("library data"), LIBRARY_RODATA("library rodata"),
        FILE("file mapping"), ANONYMOUS("anonymous"), GUARD("guard"), STACK("stack"), VDSO("vdso"), VVAR("vvar"),
        VSYSCALL("vsyscall");

        public final String label;

        Kind(String label) {
            this.label = label;
        }

        /** Part of the area mmap() hands out (where libraries and anonymous maps go). */
        public boolean mmapArea() {
            return this == LIBRARY_TEXT || this == LIBRARY_DATA || this == LIBRARY_RODATA || this == FILE || this == ANONYMOUS
                    || this == GUARD;
        }
    }
}
