package dev.myelin.http.server;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A parsed path template: literal segments and {@code {name}} parameters. Matching compares raw
 * (still percent-encoded) request segments, so an encoded slash never splits a parameter.
 */
record PathTemplate(String template, List<String> segments, List<Boolean> isParam) {

    private static final Pattern PARAM = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}");
    private static final Pattern LITERAL = Pattern.compile("[A-Za-z0-9._~!$&'()*+,;=:@-]*");

    static PathTemplate parse(String template) {
        if (!template.startsWith("/")) {
            throw new IllegalArgumentException("path template must start with '/': " + template);
        }
        String[] parts = template.substring(1).split("/", -1);
        List<String> segments = new ArrayList<>();
        List<Boolean> params = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String part : parts) {
            var m = PARAM.matcher(part);
            if (m.matches()) {
                if (!names.add(m.group(1))) {
                    throw new IllegalArgumentException("duplicate parameter {" + m.group(1) + "} in " + template);
                }
                segments.add(m.group(1));
                params.add(true);
            } else if (LITERAL.matcher(part).matches()) {
                segments.add(part);
                params.add(false);
            } else {
                throw new IllegalArgumentException("bad path segment '" + part + "' in " + template);
            }
        }
        return new PathTemplate(template, List.copyOf(segments), List.copyOf(params));
    }

    /** The template with parameter names erased: two templates with the same shape are the same path. */
    String shape() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < segments.size(); i++) {
            sb.append('/').append(isParam.get(i) ? "{}" : segments.get(i));
        }
        return sb.toString();
    }

    /** Whether the raw request segments match. */
    boolean matches(List<String> rawSegments) {
        if (rawSegments.size() != segments.size()) {
            return false;
        }
        for (int i = 0; i < segments.size(); i++) {
            if (!isParam.get(i) && !segments.get(i).equals(rawSegments.get(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Orders more specific templates first: at the first position where two templates differ in
     * kind, the literal wins over the parameter.
     */
    static int bySpecificity(PathTemplate a, PathTemplate b) {
        int n = Math.min(a.segments.size(), b.segments.size());
        for (int i = 0; i < n; i++) {
            boolean pa = a.isParam.get(i);
            boolean pb = b.isParam.get(i);
            if (pa != pb) {
                return pa ? 1 : -1;
            }
        }
        return 0;
    }
}
