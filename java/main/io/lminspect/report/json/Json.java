package io.lminspect.report.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/** jackson-core streaming (no databind: ~150 ms of start-up saved). Strings are escaped by the generator. */
public final class Json implements AutoCloseable {
    private static final JsonFactory FACTORY = new JsonFactory();
    private final JsonGenerator g;

    public Json(OutputStream out) {
        try {
            g = FACTORY.createGenerator(out);
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.useDefaultPrettyPrinter();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public JsonGenerator g() { return g; }

    public Json begin() { run(g::writeStartObject); return this; }
    public Json end() { run(g::writeEndObject); return this; }
    public Json beginArray(String name) { run(() -> g.writeArrayFieldStart(name)); return this; }
    public Json beginObject(String name) { run(() -> g.writeObjectFieldStart(name)); return this; }
    public Json endArray() { run(g::writeEndArray); return this; }

    public Json field(String name, String v) {
        run(() -> { if (v == null) g.writeNullField(name); else g.writeStringField(name, v); });
        return this;
    }

    public Json field(String name, long v) { run(() -> g.writeNumberField(name, v)); return this; }
    public Json field(String name, double v) { run(() -> g.writeNumberField(name, v)); return this; }
    public Json field(String name, boolean v) { run(() -> g.writeBooleanField(name, v)); return this; }

    public Json field(String name, Integer v) {
        run(() -> { if (v == null) g.writeNullField(name); else g.writeNumberField(name, v); });
        return this;
    }

    public Json value(String v) { run(() -> g.writeString(v)); return this; }
    public Json value(long v) { run(() -> g.writeNumber(v)); return this; }

    interface IoAction { void run() throws IOException; }

    private void run(IoAction a) {
        try {
            a.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            g.writeRaw('\n');
            g.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
