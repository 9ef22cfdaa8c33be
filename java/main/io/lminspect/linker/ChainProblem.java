package io.lminspect.linker;

/** Something wrong with the chain itself (a loop, an unreadable entry, l_prev disagreeing). */
public record ChainProblem(int namespace, int index, long address, String object, String message) {}
