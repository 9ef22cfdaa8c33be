package io.lminspect.check;

import java.util.List;

/** The check sets the commands run. */
public final class Checks {
    private Checks() {}

    /** Everything that can be judged about one process (attach, core, check). */
    public static List<Check> all() {
        return List.of(new LinkChainCheck(), new SonameCheck(), new DynamicUnrelocatedCheck(), new RevertedRelocationsCheck(),
                new FileRewrittenCheck(), new FileIdentityCheck(), new MappingPastEofCheck(), new UnlistedObjectCheck());
    }
}
