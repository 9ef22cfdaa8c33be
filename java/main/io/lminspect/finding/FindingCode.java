package io.lminspect.finding;

/**
 * The stable finding codes (docs/commands.md), each with the severity it is reported at
 * and what it means in one sentence: the man pages list them from here.
 */
public enum FindingCode {
    SONAME_UNMAPPED("critical", "the soname pointer ld.so compares on every dlopen (l_info[DT_STRTAB]->d_ptr + "
            + "l_info[DT_SONAME]->d_val) lies outside every mapping: the next dlopen segfaults in strcmp"),
    DYNAMIC_UNRELOCATED("critical", "the in-memory .dynamic holds the file's raw d_ptr values although l_addr is not 0: "
            + "its relocated page was dropped (file truncated or rewritten in place)"),
    RELOCATIONS_REVERTED("critical", "relocated words (GOT, RELRO, R_*_RELATIVE targets) read back as the file's raw bytes"),
    FILE_REWRITTEN_IN_PLACE("critical; info when only the file's time says so",
            "the mapped inode is still the file at that path, but it was written after the process started"),
    LINK_CHAIN_BROKEN("critical", "a loop, an unreadable entry, an l_prev that disagrees with l_next, a name or l_ld outside readable memory"),
    MAPPING_PAST_EOF("warning; critical when MAP_SHARED and writable",
            "a file mapping reaches past the file's current end: touching those pages raises SIGBUS"),
    FILE_REPLACED("warning", "the path names another inode now (a package update's rename): restart needed, "
            + "and new dlopens mix old and new copies"),
    FILE_DELETED("info; warning for a loaded library that existed before the process", "the mapped file is gone and nothing replaced it"),
    INSPECTION_CUT("warning", "the inspection stopped at a budget or a deadline (a read that did not return, more entries, name bytes "
            + "or maps than the budget): says which, and what was read before"),
    UNLISTED_OBJECT("warning", "an ELF file mapped executable that no link_map namespace lists (loaded by hand, injected, or a chain cut)"),
    VERSION_UNSATISFIED("critical (preflight)", "a needed symbol@VERSION, or a version, is not defined by the object that would provide it"),
    BRK_HEADROOM_LOW("warning (layout)", "the heap cannot grow: the next mapping above brk is closer than --brk-min"),
    /** preflight: a DT_NEEDED that ld.so would not find (or could not load) in the target's filesystem. */
    NEEDED_NOT_FOUND("critical (preflight)", "a DT_NEEDED of the library would not be found the way ld.so searches"),
    /** core: a file read for a core is not the one the process had mapped (build-id or program headers differ). */
    CORE_FILE_MISMATCH("warning (core)", "a file read to fill a core's missing pages is not the one the process mapped (build-id or program headers differ)");

    /** The severity as docs/commands.md states it, with the cases where it differs. */
    public final String severityText;
    /** One sentence: what the finding means. */
    public final String meaning;

    /**
     * Whether this command can report the code: a code whose severity names a command
     * ("critical (preflight)") is that command's alone; the others are attach's, core's and
     * check's (the lminspect page lists them all).
     */
    public boolean reportedBy(String command) {
        if (command.equals("lminspect")) return true;
        int open = severityText.lastIndexOf('('), close = severityText.lastIndexOf(')');
        if (open >= 0 && close > open && close == severityText.length() - 1) return severityText.substring(open + 1, close).equals(command);
        return command.equals("attach") || command.equals("core") || command.equals("check");
    }

    FindingCode(String severityText, String meaning) {
        this.severityText = severityText;
        this.meaning = meaning;
    }
}
