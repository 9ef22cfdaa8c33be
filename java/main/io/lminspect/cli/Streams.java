package io.lminspect.cli;

import java.io.PrintStream;

/**
 * stdout for results (JSON stays clean), stderr for diagnostics; injected so tests capture both in-process.
 * terminal: out is the process's stdout and a terminal (colour and progress are for people only).
 */
public record Streams(PrintStream out, PrintStream err, boolean terminal) {
    public Streams(PrintStream out, PrintStream err) {
        this(out, err, false);
    }
}
