package io.lminspect.report.model;

import io.lminspect.host.WhoMaps;

import java.util.List;

/** who-maps: for each file, the processes that map its inode. Exit 1 when any process does, else 0. */
public record WhoMapsReport(List<WhoMaps.FileUse> files) implements Report {
    @Override
    public int exitCode() {
        return files.stream().anyMatch(u -> !u.holders().isEmpty()) ? ExitCode.WARNING : ExitCode.OK;
    }
}
