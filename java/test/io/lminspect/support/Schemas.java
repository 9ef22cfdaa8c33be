package io.lminspect.support;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JSON schemas of docs/schema/, loaded from their files by their $id (so relative $refs,
 * e.g. check.json to attach.json, resolve beside them), and outputs validated against them.
 */
public final class Schemas {
    /** The schemas' $id prefix; they are read from docs/schema/, never fetched. */
    private static final String ID = "https://lminspect.invalid/schema/";
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            b -> b.schemas(Schemas::read));
    private static final Map<String, Schema> LOADED = new ConcurrentHashMap<>();

    private Schemas() {}

    public static Schema of(String name) {
        return LOADED.computeIfAbsent(name, n -> REGISTRY.getSchema(SchemaLocation.of(ID + n)));
    }

    private static String read(String iri) {
        if (!iri.startsWith(ID)) return null;
        try {
            return java.nio.file.Files.readString(Build.root().resolve("docs/schema").resolve(iri.substring(ID.length())));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Asserts that json (one document) is valid against docs/schema/NAME, listing every error otherwise. */
    public static void assertValid(String name, String json) {
        List<Error> errors = of(name).validate(json, InputFormat.JSON);
        assertTrue(errors.isEmpty(), () -> name + ": " + errors.size() + " error(s):\n  "
                + String.join("\n  ", errors.stream().map(Error::toString).toList()) + "\n" + json);
    }

    public static List<Error> errors(String name, String json) {
        return of(name).validate(json, InputFormat.JSON);
    }
}
