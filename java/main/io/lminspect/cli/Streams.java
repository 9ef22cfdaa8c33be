package io.lminspect.cli;

import java.io.PrintStream;

/** stdout for results (JSON stays clean), stderr for diagnostics; injected so tests capture both in-process. */
public record Streams(PrintStream out, PrintStream err) {}
