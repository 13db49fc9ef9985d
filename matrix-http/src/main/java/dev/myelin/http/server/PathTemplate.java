package dev.myelin.http.server;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A parsed path template: literal segments and {@code {name}} parameters, optionally ending in a
 * {@code {name...}} tail that matches all remaining segments (zero or more). Matching compares
 * raw (still percent-encoded) request segments, so an encoded slash never splits a parameter.
 */
record PathTemplate(String template, List<String> segments, List<Boolean> isParam, boolean tail) {

    private static final Pattern PARAM = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}");
    private static final Pattern TAIL = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)\\.\\.\\.}");
    private static final Pattern LITERAL = Pattern.compile("[A-Za-z0-9._~!$&'()*+,;=:@-]*");

    static PathTemplate parse(String template) {
        if (!template.startsWith("/")) {
            throw new IllegalArgumentException("path template must start with '/': " + template);
        }
        String[] parts = template.substring(1).split("/", -1);
        List<String> segments = new ArrayList<>();
        List<Boolean> params = new ArrayList<>();
        Set<String> names = new HashSet<>();
        boolean tail = false;
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            var m = PARAM.matcher(part);
            var t = TAIL.matcher(part);
            if (m.matches() || t.matches()) {
                String name = m.matches() ? m.group(1) : t.group(1);
                if (!names.add(name)) {
                    throw new IllegalArgumentException("duplicate parameter {" + name + "} in " + template);
                }
                if (t.matches()) {
                    if (i != parts.length - 1) {
                        throw new IllegalArgumentException("{" + name + "...} must be the last segment in " + template);
                    }
                    tail = true;
                }
                segments.add(name);
                params.add(true);
            } else if (LITERAL.matcher(part).matches()) {
                segments.add(part);
                params.add(false);
            } else {
                throw new IllegalArgumentException("bad path segment '" + part + "' in " + template);
            }
        }
        return new PathTemplate(template, List.copyOf(segments), List.copyOf(params), tail);
    }

    /** The template with parameter names erased: two templates with the same shape are the same path. */
    String shape() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < segments.size(); i++) {
            boolean last = i == segments.size() - 1;
            sb.append('/').append(!isParam.get(i) ? segments.get(i) : tail && last ? "{...}" : "{}");
        }
        return sb.toString();
    }

    /** Whether the raw request segments match. */
    boolean matches(List<String> rawSegments) {
        int fixed = tail ? segments.size() - 1 : segments.size();
        if (tail ? rawSegments.size() < fixed : rawSegments.size() != fixed) {
            return false;
        }
        for (int i = 0; i < fixed; i++) {
            if (!isParam.get(i) && !segments.get(i).equals(rawSegments.get(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The raw (still encoded) parameter values for matching {@code rawSegments}; a tail parameter
     * is the remaining segments joined with '/'.
     */
    java.util.Map<String, String> rawParams(List<String> rawSegments) {
        java.util.Map<String, String> params = new java.util.LinkedHashMap<>();
        int fixed = tail ? segments.size() - 1 : segments.size();
        for (int i = 0; i < fixed; i++) {
            if (isParam.get(i)) {
                params.put(segments.get(i), rawSegments.get(i));
            }
        }
        if (tail) {
            params.put(segments.getLast(), String.join("/", rawSegments.subList(fixed, rawSegments.size())));
        }
        return params;
    }

    /**
     * Orders more specific templates first: at the first position where two templates differ in
     * kind, a literal wins over a parameter and a parameter over a tail; a template without a
     * tail wins over an otherwise equal one with a tail.
     */
    static int bySpecificity(PathTemplate a, PathTemplate b) {
        int n = Math.min(a.segments.size(), b.segments.size());
        for (int i = 0; i < n; i++) {
            int ka = a.kind(i);
            int kb = b.kind(i);
            if (ka != kb) {
                return Integer.compare(ka, kb);
            }
        }
        return Boolean.compare(a.tail, b.tail);
    }

    private int kind(int i) {
        if (!isParam.get(i)) {
            return 0;
        }
        return tail && i == segments.size() - 1 ? 2 : 1;
    }
}
