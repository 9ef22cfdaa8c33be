package io.lminspect.cli;

import picocli.CommandLine.Option;

/** --thorough on attach, check and core (a picocli mixin). */
final class ThoroughOption {
    @Option(names = "--thorough", description = {"compare .dynamic and relocated data with the file for every object,",
            "not only for objects whose file changed after the process started (a core is always checked thoroughly)"})
    boolean thorough;
}
