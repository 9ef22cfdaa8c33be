package io.lminspect.report.model;

import java.util.Map;

/**
 * One thread's registers with their addresses named: pc and sp resolved to
 * object (+ symbol), and the registers that hold a pointer a finding names.
 */
public record ThreadView(int tid, String state, Map<String, Long> registers, long pc, String pcObject, String pcSymbol,
                         String pcText, long sp, String spObject, Map<String, String> marks) {}
