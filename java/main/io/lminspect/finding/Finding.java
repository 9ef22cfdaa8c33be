package io.lminspect.finding;

import io.lminspect.inferior.FileId;

import java.util.List;

/**
 * One problem, with what a person needs to act on it: the object (as the
 * link_map names it, and the mapping's path), the address, the evidence, what
 * will happen, and the remedy. file: the mapped inode the finding is about (device
 * and inode), or null when it names no mapped file: reports group by it and never
 * match a path back to a mapping (a replaced library and its successor share a path).
 * address: a number, or null; renderers format it.
 */
public record Finding(Severity severity, FindingCode code, String object, String mappingPath, FileId file, Integer namespace,
                      Integer entry, Long address, String message, List<String> evidence, String consequence,
                      String remedy) {

    public static Builder of(Severity s, FindingCode c) {
        return new Builder(s, c);
    }

    public static final class Builder {
        private final Severity severity;
        private final FindingCode code;
        private String object, mappingPath, message, consequence, remedy;
        private Long address;
        private FileId file;
        private Integer namespace, entry;
        private final java.util.ArrayList<String> evidence = new java.util.ArrayList<>();

        Builder(Severity s, FindingCode c) {
            severity = s;
            code = c;
        }

        public Builder object(String o) { object = o; return this; }
        public Builder mappingPath(String p) { mappingPath = p; return this; }
        /** The mapped file: its path as the maps name it and its identity (null id: not file-backed). */
        public Builder mapped(String path, FileId id) { mappingPath = path; file = id; return this; }
        public Builder entry(int ns, int idx) { namespace = ns; entry = idx; return this; }
        /** The address the finding is about, as a number (renderers format it). */
        public Builder address(long a) { address = a; return this; }
        public Builder message(String m) { message = m; return this; }
        public Builder evidence(String e) { if (e != null) evidence.add(e); return this; }
        public Builder consequence(String c) { consequence = c; return this; }
        public Builder remedy(String r) { remedy = r; return this; }

        public Finding build() {
            return new Finding(severity, code, object, mappingPath, file, namespace, entry, address, message, List.copyOf(evidence),
                    consequence, remedy);
        }
    }
}
