package io.lminspect.report.model;

import io.lminspect.host.WhoMaps;

import java.util.List;

/**
 * who-maps: for each file, the processes that map its inode. Exit 1 when any process does, else 0.
 * unread: processes whose maps could not be read (the list does not cover them; with no holder
 * at all the command ends in exit 3 instead of claiming nobody maps the file).
 */
public record WhoMapsReport(List<WhoMaps.FileUse> files, int unread) implements Report {
    @Override
    public int exitCode() {
        return files.stream().anyMatch(u -> !u.holders().isEmpty()) ? ExitCode.WARNING : ExitCode.OK;
    }
}
