package io.lminspect.host;

/** What kind of thing a process belongs to; {@link #jsonName()} is the stable JSON spelling. */
public enum ServiceKind {
    SYSTEMD("systemd"),
    CONTAINER("container"),
    PROCESS_TREE("process-tree");

    private final String jsonName;

    ServiceKind(String jsonName) {
        this.jsonName = jsonName;
    }

    public String jsonName() {
        return jsonName;
    }
}
