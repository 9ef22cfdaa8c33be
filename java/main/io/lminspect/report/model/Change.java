package io.lminspect.report.model;

/** What happened to a mapped file: the JSON "change" field's word, and the words a person reads. */
public enum Change {
    WRITTEN("written", "written in place"), TRUNCATED("truncated", "truncated"), REPLACED("replaced", "replaced (renamed over)"),
    DELETED("deleted", "deleted");

    /** The JSON field's word; the words a person reads. */
    public final String json, words;

    Change(String json, String words) { this.json = json; this.words = words; }
}
