package io.lminspect.report.model;

/** What happened to a mapped file, in the words of the JSON "change" field. */
public enum Change {
    WRITTEN("written"), TRUNCATED("truncated"), REPLACED("replaced"), DELETED("deleted");

    public final String json;

    Change(String json) {
        this.json = json;
    }
}
