package io.lminspect.elf;

public record DynamicEntry(long tag, long value) {}
