package io.lminspect.cli;

import picocli.CommandLine;

/** The one version string of every command's --version. */
final class Version implements CommandLine.IVersionProvider {
    static final String TEXT = "lminspect 0.1.0";

    @Override
    public String[] getVersion() {
        return new String[]{TEXT};
    }
}
