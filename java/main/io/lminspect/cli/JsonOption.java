package io.lminspect.cli;

import io.lminspect.report.Format;
import picocli.CommandLine.Option;

/** The --json option every command shares (a picocli mixin). */
final class JsonOption {
    @Option(names = "--json", description = "print one JSON document on stdout, nothing else there")
    boolean json;

    Format format() {
        return json ? Format.json : Format.text;
    }
}
