package io.lminspect.report.model;

import io.lminspect.crash.Crash;

/** A core's crash explained, and the core itself (path, thread count, executable it names). */
public record CrashSection(Crash crash, String corePath, int threadCount, String exeInCore) {}
