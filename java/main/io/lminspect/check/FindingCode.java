package io.lminspect.check;

/** The stable finding codes (docs/commands.md). */
public enum FindingCode {
    SONAME_UNMAPPED, DYNAMIC_UNRELOCATED, RELOCATIONS_REVERTED, FILE_REWRITTEN_IN_PLACE, LINK_CHAIN_BROKEN,
    MAPPING_PAST_EOF, FILE_REPLACED, FILE_DELETED, UNLISTED_OBJECT, VERSION_UNSATISFIED, BRK_HEADROOM_LOW,
    /** preflight: a DT_NEEDED that ld.so would not find (or could not load) in the target's filesystem. */
    NEEDED_NOT_FOUND,
    /** core: a file read for a core is not the one the process had mapped (build-id or program headers differ). */
    CORE_FILE_MISMATCH
}
