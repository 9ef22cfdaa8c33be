package io.lminspect.support;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A tiny JSON tree reader for assertions (jackson-core only, like the product). */
public final class JsonDoc {
    private JsonDoc() {}

    @SuppressWarnings("unchecked")
    public static Map<String, Object> parse(String s) {
        try (JsonParser p = new JsonFactory().createParser(s)) {
            p.nextToken();
            Object v = read(p);
            if (p.nextToken() != null) throw new AssertionError("trailing data after the JSON document");
            return (Map<String, Object>) v;
        } catch (IOException e) {
            throw new AssertionError("not valid JSON: " + e.getMessage() + "\n" + s);
        }
    }

    private static Object read(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT: {
                Map<String, Object> m = new LinkedHashMap<>();
                while (p.nextToken() != JsonToken.END_OBJECT) {
                    String k = p.currentName();
                    p.nextToken();
                    m.put(k, read(p));
                }
                return m;
            }
            case START_ARRAY: {
                List<Object> l = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) l.add(read(p));
                return l;
            }
            case VALUE_STRING: return p.getText();
            case VALUE_NUMBER_INT: return p.getLongValue();
            case VALUE_NUMBER_FLOAT: return p.getDoubleValue();
            case VALUE_TRUE: return true;
            case VALUE_FALSE: return false;
            default: return null;
        }
    }

    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> list(Map<String, Object> m, String key) {
        return (List<Map<String, Object>>) m.get(key);
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> obj(Map<String, Object> m, String key) {
        return (Map<String, Object>) m.get(key);
    }

    /** A list of numbers (pids…). */
    @SuppressWarnings("unchecked")
    public static List<Long> longs(Map<String, Object> m, String key) {
        return (List<Long>) m.get(key);
    }
}
